/* SPDX-License-Identifier: ISC */
/*
 * txtsub.h -- the "$" substitutions of rbldnsd's TXT templates: what a
 * data file decides at import (txtsub_resolve) and what the query decides
 * at answer time (txtsub_expand). Pure.
 *
 * rbldnsd (txtsubst() in rbldnsd_util.c) reads an entry's TXT at query
 * time: "$$" is a dollar, "$0"-"$9" the dataset's substitution variables
 * ("$1 text" lines; an undefined one stays "$1"), "$=" the entry's own
 * text inside the base template ("$= text" line, used for every entry
 * instead of its text), a leading "=" on the text opts out of the base
 * template, and any other "$" is the queried address. Everything but the
 * address is known when the file is read, so import resolves it and
 * stores a text in which "$" is the address and "$$" a dollar only; the
 * daemon expands those two per query.
 */
#ifndef TXTSUB_H
#define TXTSUB_H

#include <stddef.h>

/* Index of the base template ("$=") in the variables; 0-9 are "$0"-"$9". */
#define TXTSUB_BASE	10
#define TXTSUB_NVARS	11

/*
 * Resolve TXT, an entry's text (its own or its default line's, "" for
 * none), with the file's variables VARS (NULL where undefined; VARS
 * itself may be NULL for none) into OUT (LEN bytes, NUL-terminated): the
 * stored form, in which "$" is the queried address and "$$" a dollar.
 * Text copied from a variable or from the entry into the base template is
 * literal there, as in rbldnsd, so its "$" become "$$". Where the address
 * would stand right before a "$", a digit or "=" (the address from "$="
 * in a base template for an entry without text), which the stored form
 * cannot hold, a blank is put between them and *ADJACENT (if not NULL)
 * is set to 1. Returns the length, or -1 when the result does not fit
 * (OUT then holds as much as fits).
 */
int	txtsub_resolve(const char *txt, char *const *vars, char *out,
	    size_t len, int *adjacent);

/*
 * Expand a stored text T (N bytes) for SUBJECT, the queried address as
 * text: "$$" is a dollar, any other "$" is SUBJECT. Appends to BUF (LEN
 * bytes) at *O, cutting what does not fit before the last byte, which is
 * left for a NUL that the caller writes.
 */
void	txtsub_expand(const char *t, size_t n, const char *subject,
	    char *buf, size_t len, size_t *o);

#endif /* TXTSUB_H */
