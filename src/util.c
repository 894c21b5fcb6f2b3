/* SPDX-License-Identifier: ISC */
/*
 * util.c -- allocation, parsing and formatting helpers.
 */
#include "config.h"

#include <sys/mman.h>
#include <sys/stat.h>

#ifdef __GLIBC__
#include <malloc.h>
#endif

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util.h"
#include "log.h"

void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL)
		fatal("xmalloc");
	return p;
}

void *
xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (p == NULL)
		fatal("xcalloc");
	return p;
}

void *
xreallocarray(void *old, size_t n, size_t size)
{
	void *p;

	if (size && n > SIZE_MAX / size)
		fatalx("xreallocarray: overflow");
	p = realloc(old, (n * size) != 0 ? n * size : 1);
	if (p == NULL)
		fatal("xreallocarray");
	return p;
}

#define HUGE_SIZE	(2UL * 1024 * 1024)	/* a transparent huge page */

void *
xhugearray(size_t n, size_t size)
{
	size_t len;
	void *p;

	if (size && n > SIZE_MAX / size / 2)
		fatalx("xhugearray: overflow");
	if ((len = n * size) < HUGE_SIZE / 2)
		return xreallocarray(NULL, n, size);
	len = (len + HUGE_SIZE - 1) & ~(HUGE_SIZE - 1);
	if (posix_memalign(&p, HUGE_SIZE, len) != 0)
		return xreallocarray(NULL, n, size);
#ifdef MADV_HUGEPAGE
	(void)madvise(p, len, MADV_HUGEPAGE);
#endif
	return p;
}

#if defined(__GLIBC__) && defined(M_TOP_PAD) && defined(MADV_HUGEPAGE)
#define HUGE_HEAP	1
#define HEAP_STEP	(64 << 20)	/* what the heap grows by */
#define HEAP_PAD	(128 * 1024)	/* glibc's default, M_TOP_PAD */
#define MMAP_MAX	65536		/* glibc's default, M_MMAP_MAX */
#endif

void
xhugeheap_begin(void)
{
#ifdef HUGE_HEAP
	(void)mallopt(M_TOP_PAD, HEAP_STEP);
	(void)mallopt(M_TRIM_THRESHOLD, -1);
#endif
}

void
xhugeheap(uintptr_t *mark)
{
#ifdef HUGE_HEAP
	void *brk0 = sbrk(0);
	uintptr_t end = (uintptr_t)brk0 & ~(uintptr_t)4095;

	if (brk0 == (void *)-1)
		return;
	if (*mark != 0 && end > *mark)
		(void)madvise((void *)*mark, end - *mark, MADV_HUGEPAGE);
	*mark = end;
#else
	(void)mark;
#endif
}

void
xhugeheap_end(void)
{
#ifdef HUGE_HEAP
	(void)mallopt(M_TOP_PAD, HEAP_PAD);
#endif
}

void *
xheaparray(size_t n, size_t size)
{
#ifdef HUGE_HEAP
	void *p;

	/* no mmap(2) of its own: glibc falls back on one if brk(2) fails */
	(void)mallopt(M_MMAP_MAX, 0);
	p = xhugearray(n, size);
	(void)mallopt(M_MMAP_MAX, MMAP_MAX);
	return p;
#else
	return xhugearray(n, size);
#endif
}

void *
xhugegrow(void *old, size_t oldn, size_t n, size_t size)
{
#if defined(MREMAP_MAYMOVE) && defined(MADV_HUGEPAGE)
	void *p;

	if (size && n > SIZE_MAX / size)
		fatalx("xhugegrow: overflow");
	if (old == NULL) {
		p = mmap(NULL, n * size, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			fatal("xhugegrow: mmap");
		(void)madvise(p, n * size, MADV_HUGEPAGE);
		return p;
	}
	/* the pages move as they are: no copy, none to fill again */
	if ((p = mremap(old, oldn * size, n * size, MREMAP_MAYMOVE)) ==
	    MAP_FAILED)
		fatal("xhugegrow: mremap");
	return p;
#else
	(void)oldn;
	return xreallocarray(old, n, size);
#endif
}

void
xhugefree(void *p, size_t n, size_t size)
{
#if defined(MREMAP_MAYMOVE) && defined(MADV_HUGEPAGE)
	if (p != NULL)
		(void)munmap(p, n * size);
#else
	(void)n;
	(void)size;
	free(p);
#endif
}

char *
xstrdup(const char *s)
{
	char *p = strdup(s);

	if (p == NULL)
		fatal("xstrdup");
	return p;
}

char *
xstrndup(const char *s, size_t n)
{
	char *p = strndup(s, n);

	if (p == NULL)
		fatal("xstrndup");
	return p;
}

int
xasprintf(char **out, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vasprintf(out, fmt, ap);
	va_end(ap);
	if (r < 0)
		fatal("xasprintf");
	return r;
}

int
parse_uint(const char *s, uint64_t min, uint64_t max, uint64_t *out,
    const char **errstr)
{
	uint64_t v = 0;
	const char *p;

	if (*s == '\0') {
		*errstr = "empty number";
		return -1;
	}
	for (p = s; *p; p++) {
		if (!isdigit((unsigned char)*p)) {
			*errstr = "not a number";
			return -1;
		}
		if (v > (UINT64_MAX - 9) / 10) {
			*errstr = "number too large";
			return -1;
		}
		v = v * 10 + (uint64_t)(*p - '0');
	}
	if (v < min) {
		*errstr = "number too small";
		return -1;
	}
	if (v > max) {
		*errstr = "number too large";
		return -1;
	}
	*out = v;
	return 0;
}

/* Split "123x" into a number and a one-character unit. */
static int
parse_scaled(const char *s, const char *units, const uint64_t *mult,
    uint64_t *out, const char **errstr)
{
	char num[32];
	size_t n = strlen(s);
	uint64_t v, m = 1;
	const char *u;

	if (n == 0) {
		*errstr = "empty value";
		return -1;
	}
	if (!isdigit((unsigned char)s[n - 1])) {
		u = strchr(units, tolower((unsigned char)s[n - 1]));
		if (u == NULL) {
			*errstr = "unknown unit";
			return -1;
		}
		m = mult[u - units];
		n--;
	}
	if (n == 0 || n >= sizeof(num)) {
		*errstr = "bad number";
		return -1;
	}
	memcpy(num, s, n);
	num[n] = '\0';
	if (parse_uint(num, 0, UINT64_MAX, &v, errstr) == -1)
		return -1;
	if (v > UINT64_MAX / m) {
		*errstr = "value too large";
		return -1;
	}
	*out = v * m;
	return 0;
}

int
parse_duration(const char *s, uint64_t *out, const char **errstr)
{
	static const uint64_t mult[] = { 1, 60, 3600, 86400, 604800 };

	if (parse_scaled(s, "smhdw", mult, out, errstr) == -1) {
		if (strcmp(*errstr, "value too large") != 0)
			*errstr = "bad duration (use 30, 30s, 5m, 1h, 2d or 1w: "
			    "one number, at most one unit, no space)";
		return -1;
	}
	return 0;
}

void
format_duration(uint64_t secs, char *buf, size_t len)
{
	if (secs != 0 && secs % 604800 == 0)
		snprintf(buf, len, "%lluw", (unsigned long long)(secs / 604800));
	else if (secs != 0 && secs % 86400 == 0)
		snprintf(buf, len, "%llud", (unsigned long long)(secs / 86400));
	else if (secs != 0 && secs % 3600 == 0)
		snprintf(buf, len, "%lluh", (unsigned long long)(secs / 3600));
	else if (secs != 0 && secs % 60 == 0)
		snprintf(buf, len, "%llum", (unsigned long long)(secs / 60));
	else
		snprintf(buf, len, "%llus", (unsigned long long)secs);
}

int
parse_size(const char *s, uint64_t *out, const char **errstr)
{
	static const uint64_t mult[] = { 1024ULL, 1024ULL << 10,
	    1024ULL << 20, 1024ULL << 30 };

	if (parse_scaled(s, "kmgt", mult, out, errstr) == -1) {
		if (strcmp(*errstr, "value too large") != 0)
			*errstr = "bad size (use a number of bytes, 512k, 64m, "
			    "4g or 1t: one number, at most one unit, no "
			    "space)";
		return -1;
	}
	return 0;
}

char *
str_escape(char *dst, size_t dstlen, const char *src, size_t srclen)
{
	size_t i, o = 0;

	if (dstlen == 0)
		return dst;
	for (i = 0; i < srclen; i++) {
		unsigned char c = (unsigned char)src[i];

		if (c >= 0x20 && c < 0x7f && c != '\\') {
			if (o + 1 >= dstlen)
				break;
			dst[o++] = (char)c;
		} else {
			if (o + 4 >= dstlen)
				break;
			snprintf(dst + o, 5, "\\%03o", c);
			o += 4;
		}
	}
	dst[o] = '\0';
	return dst;
}

size_t
utf8_len(const unsigned char *s, size_t n)
{
	size_t len, i;
	unsigned char lo = 0x80, hi = 0xbf;

	if (n == 0)
		return 0;
	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		if (s[0] == 0xe0)
			lo = 0xa0;
		else if (s[0] == 0xed)
			hi = 0x9f;	/* no surrogates */
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		if (s[0] == 0xf0)
			lo = 0x90;
		else if (s[0] == 0xf4)
			hi = 0x8f;
	} else
		return 0;
	if (n < len || s[1] < lo || s[1] > hi)
		return 0;
	for (i = 2; i < len; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	return len;
}

void
args_long_forms(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc && argv[i][0] == '-' &&
	    strcmp(argv[i], "--") != 0; i++) {
		if (strcmp(argv[i], "-c") == 0 || strcmp(argv[i], "-P") == 0 ||
		    strcmp(argv[i], "-u") == 0)
			i++;	/* a file or user of that name */
		else if (strcmp(argv[i], "--help") == 0)
			argv[i] = (char *)"-h";
		else if (strcmp(argv[i], "--version") == 0)
			argv[i] = (char *)"-V";
	}
}

int
str_near(const char *word, const char *cand)
{
	size_t n = strlen(word), m = strlen(cand), i, j;
	unsigned char d[64][64], best, lim;	/* distances below 64 */
	int a, b;

	if (n == 0 || m == 0 || n > 63 || m > 63)
		return 0;
	if ((n >= 3 && m > n && strncasecmp(word, cand, n) == 0) ||
	    (m >= 3 && n > m && strncasecmp(word, cand, m) == 0))
		return 1;
	for (i = 0; i <= n; i++)
		d[i][0] = (unsigned char)i;
	for (j = 0; j <= m; j++)
		d[0][j] = (unsigned char)j;
	for (i = 1; i <= n; i++)
		for (j = 1; j <= m; j++) {
			a = tolower((unsigned char)word[i - 1]);
			b = tolower((unsigned char)cand[j - 1]);
			best = (unsigned char)(d[i - 1][j - 1] + (a != b));
			if (d[i - 1][j] + 1 < best)
				best = (unsigned char)(d[i - 1][j] + 1);
			if (d[i][j - 1] + 1 < best)
				best = (unsigned char)(d[i][j - 1] + 1);
			if (i > 1 && j > 1 && a == tolower((unsigned char)
			    cand[j - 2]) && tolower((unsigned char)
			    word[i - 2]) == b && d[i - 2][j - 2] + 1 < best)
				best = (unsigned char)(d[i - 2][j - 2] + 1);
			d[i][j] = best;
		}
	lim = n >= 5 && m >= 5 ? 2 : 1;
	return d[n][m] <= lim;
}

size_t
str_copy(char *dst, const char *src, size_t dstlen)
{
	size_t n = strlen(src);

	if (dstlen) {
		size_t c = n < dstlen - 1 ? n : dstlen - 1;

		memcpy(dst, src, c);
		dst[c] = '\0';
	}
	return n;
}

void
format_time(time_t t, char *buf, size_t len)
{
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL || strftime(buf, len,
	    "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(buf, len, "%lld", (long long)t);
}

int
read_file(const char *path, char **bufp, size_t *lenp)
{
	FILE *fp;
	char *buf;
	size_t len = 0, cap = 8192, n;
	int saved;

	if ((fp = fopen(path, "r")) == NULL)
		return -1;
	buf = xmalloc(cap);
	for (;;) {
		if (len + 1 >= cap) {
			buf = xreallocarray(buf, 2, cap);
			cap *= 2;
		}
		n = fread(buf + len, 1, cap - len - 1, fp);
		len += n;
		if (n == 0)
			break;
	}
	if (ferror(fp)) {
		saved = errno;
		free(buf);
		(void)fclose(fp);
		errno = saved;
		return -2;
	}
	(void)fclose(fp);	/* read-only: nothing to lose */
	buf[len] = '\0';
	*bufp = buf;
	*lenp = len;
	return 0;
}

void
line_error(struct line_errs *le, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	int n;

	le->nerrors++;
	if (le->err == NULL)
		return;
	if (le->line > 0)
		n = snprintf(msg, sizeof(msg), "%s:%d: ", le->file, le->line);
	else
		n = snprintf(msg, sizeof(msg), "%s: ", le->file);
	if (n < 0 || (size_t)n >= sizeof(msg))
		n = 0;
	va_start(ap, fmt);
	(void)vsnprintf(msg + n, sizeof(msg) - n, fmt, ap);
	va_end(ap);
	le->err(le->arg, msg);
}

int
read_data_file(const char *path, line_err_fn *err, void *arg, int *nerrors,
    char **buf, size_t *len)
{
	struct line_errs le = { path, 0, err, arg, 0 };

	if (read_file(path, buf, len) == 0)
		return 0;	/* both failures say why in errno */
	line_error(&le, "%s", strerror(errno));
	if (nerrors != NULL)
		*nerrors = 1;
	return -1;
}

int
mkdir_parents(const char *path, mode_t mode)
{
	char buf[PATH_MAX], *p;

	if (str_copy(buf, path, sizeof(buf)) >= sizeof(buf)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	for (p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0755) == -1 && errno != EEXIST)
			return -1;
		*p = '/';
	}
	if (mkdir(buf, mode) == -1)
		return errno == EEXIST ? 0 : -1;
	/* exactly mode: the umask and mkdir(2) may drop bits of it */
	return chmod(buf, mode);
}

int
base64_decode(const char *s, uint8_t *out, size_t cap)
{
	static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t len = strlen(s), i, n = 0;
	uint32_t acc = 0;
	const char *c;
	int k, pad = 0;

	if (len == 0 || len % 4 != 0)
		return -1;
	for (i = 0; i < len; i++) {
		if (s[i] == '=') {
			/* at most two, and only at the end */
			if (i < len - 2 || (i == len - 2 && s[len - 1] != '='))
				return -1;
			pad++;
			k = 0;
		} else if ((c = strchr(tab, s[i])) == NULL || s[i] == '\0')
			return -1;
		else
			k = (int)(c - tab);
		acc = acc << 6 | (uint32_t)k;
		if (i % 4 == 3) {
			if (n + 3 - (size_t)pad > cap)
				return -1;
			out[n++] = (uint8_t)(acc >> 16);
			if (pad < 2)
				out[n++] = (uint8_t)(acc >> 8);
			if (pad < 1)
				out[n++] = (uint8_t)acc;
			acc = 0;
		}
	}
	return (int)n;
}
