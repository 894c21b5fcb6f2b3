/* SPDX-License-Identifier: ISC */
/*
 * util.h -- small helpers shared by every module.
 *
 * The x* allocators call fatal() on failure: callers never check for NULL.
 */
#ifndef UTIL_H
#define UTIL_H

#include <sys/types.h>

#include <stddef.h>
#include <stdint.h>
#include <time.h>

void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xreallocarray(void *, size_t, size_t);
char	*xstrdup(const char *);
char	*xstrndup(const char *, size_t);
int	 xasprintf(char **, const char *, ...)
	    __attribute__((format(printf, 2, 3)));

/*
 * Arrays that may grow large and are filled at once (sort records, index
 * words): from 1 MB on, the kernel is asked to back them with transparent
 * huge pages (MADV_HUGEPAGE), one page fault for each 2 MB filled instead
 * of one for each 4 kB. xhugearray() gives n elements of size aligned to
 * a huge page, freed with free(). xhugegrow() gives an array of n that
 * grows from oldn (NULL and 0 at first) where the system can move pages
 * (mremap(2): no copy, no new pages to fill), freed with xhugefree()
 * given its size.
 */
void	*xhugearray(size_t n, size_t size);
void	*xhugegrow(void *, size_t oldn, size_t n, size_t size);
void	 xhugefree(void *, size_t n, size_t size);

/*
 * The same for the heap, for a process about to fill many small blocks
 * that it keeps (LMDB's pages of a large write transaction, a malloc(3)
 * of one page each). xhugeheap_begin() has malloc grow the heap 64 MB at
 * a time and never give it back (glibc: M_TOP_PAD, M_TRIM_THRESHOLD):
 * LMDB frees such pages one by one when the environment closes, and each
 * free at the heap's top would otherwise hand a slice back to the system,
 * a brk(2) and a TLB flush of every CPU each. xhugeheap(), called with
 * *mark 0 first and then now and then while the blocks are taken, asks
 * huge pages for what the heap grew by since the call before (brk(2) does
 * not carry the advice over). xhugeheap_end() puts malloc's growth back;
 * the heap stays untrimmed. xheaparray() is xhugearray() taken from the
 * heap, never a mapping of its own: freed, its pages, already faulted in,
 * serve the small blocks taken after it. All are plain where they cannot
 * be done.
 */
void	 xhugeheap_begin(void);
void	 xhugeheap(uintptr_t *mark);
void	 xhugeheap_end(void);
void	*xheaparray(size_t n, size_t size);

/*
 * Parse a duration: "30", "30s", "5m", "1h", "2d", "1w" (one number and
 * at most one unit). Stores seconds in *out. Returns 0, or -1 with a
 * static message in *errstr.
 */
int	 parse_duration(const char *, uint64_t *out, const char **errstr);

/* Format seconds as the shortest exact duration ("5m", "90s", "2d"). */
void	 format_duration(uint64_t secs, char *buf, size_t len);

/*
 * Parse a size: "1048576", "512k", "64m", "4g", "1t" (powers of 1024).
 * Returns 0, or -1 with a static message in *errstr.
 */
int	 parse_size(const char *, uint64_t *out, const char **errstr);

/*
 * Parse an unsigned decimal integer in [min, max]. Returns 0, or -1 with
 * a static message in *errstr.
 */
int	 parse_uint(const char *, uint64_t min, uint64_t max, uint64_t *out,
	    const char **errstr);

/*
 * Copy untrusted text for logging: printable ASCII is kept, anything else
 * (and backslash) becomes \ddd. Always NUL-terminates. Returns dst.
 */
char	*str_escape(char *dst, size_t dstlen, const char *src, size_t srclen);

/*
 * The length of the valid UTF-8 sequence at s, with n bytes left (1-4),
 * or 0 if none starts there: no overlong forms, surrogates or code
 * points past U+10FFFF. An ASCII byte is a sequence of 1.
 */
size_t	 utf8_len(const unsigned char *s, size_t n);

/*
 * Rewrite "--help" to "-h" and "--version" to "-V" among the options at
 * the start of argv (argv[0] the program), up to "--" or the first word
 * that is not an option, and skipping the value after "-c", "-P" and
 * "-u", before
 * getopt(3) reads them: the GNU forms people try first.
 */
void	 args_long_forms(int argc, char **argv);

/*
 * mkdir -p: create the directory path and its missing parents, the
 * parents with mode 0755 (less the umask), path itself with exactly
 * mode (set-group-ID bit included). An existing path is left as it is.
 * Returns 0, or -1 with errno set.
 */
int	 mkdir_parents(const char *path, mode_t mode);

/* strlcpy(3) semantics: returns strlen(src). */
size_t	 str_copy(char *dst, const char *src, size_t dstlen);

/*
 * Decode base64 (RFC 4648, padded) into out (cap bytes): the length, or
 * -1 if s is not base64 or does not fit.
 */
int	 base64_decode(const char *s, uint8_t *out, size_t cap);

/*
 * Whether word is a likely typo of cand, for a "did you mean": their
 * edit distance (insertions, deletions, substitutions and swaps of two
 * neighbours, case-blind) is at most 1, or 2 for words of 5 bytes or
 * more; or one is a prefix of the other of at least 3 bytes. Words
 * longer than 63 bytes never are.
 */
int	 str_near(const char *word, const char *cand);

/*
 * Read a whole file into a new buffer for free() (NUL-terminated; *len
 * excludes the NUL). Returns 0; -1 with errno set when the file cannot
 * be opened; -2 with errno set when it opened but could not be read.
 */
int	 read_file(const char *path, char **buf, size_t *len);

/*
 * Errors of a data file (patterns, bad-HELO names), each passed to err as
 * one message "file:line: text" and counted.
 */
typedef void line_err_fn(void *arg, const char *msg);

struct line_errs {
	const char	*file;
	int		 line;		/* 0: the file as a whole */
	line_err_fn	*err;		/* may be NULL: only count */
	void		*arg;
	int		 nerrors;
};

void	 line_error(struct line_errs *, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

/* read_file(), reporting a failure as "file: reason" (*nerrors = 1). */
int	 read_data_file(const char *path, line_err_fn *err, void *arg,
	    int *nerrors, char **buf, size_t *len);

/* Format a UNIX time as UTC "2026-11-23T08:59:57Z". */
void	 format_time(time_t, char *buf, size_t len);

#endif /* UTIL_H */
