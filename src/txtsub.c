/* SPDX-License-Identifier: ISC */
/*
 * txtsub.c -- the "$" substitutions of rbldnsd's TXT templates.
 */
#include "config.h"

#include <string.h>

#include "txtsub.h"

#define ISDIGIT(c)	((c) >= '0' && (c) <= '9')

/* The stored text being built. */
struct res {
	char	*buf;
	size_t	 len;
	size_t	 o;
	int	 full;		/* something did not fit */
	int	 subject;	/* the last thing put is the address */
	int	*adjacent;
};

static void
put(struct res *r, char c)
{
	if (r->o + 1 >= r->len) {
		r->full = 1;
		return;
	}
	r->buf[r->o++] = c;
}

/*
 * Put N bytes of S; ESCAPE: a "$" in S is a dollar ("$$"). Right after
 * the address, a "$", digit or "=" would change its meaning when read
 * back ("$$", "$1", "$="): a blank goes between.
 */
static void
put_text(struct res *r, const char *s, size_t n, int escape)
{
	size_t i;

	if (n > 0 && r->subject && (s[0] == '$' || s[0] == '=' ||
	    ISDIGIT(s[0]))) {
		put(r, ' ');
		if (r->adjacent != NULL)
			*r->adjacent = 1;
	}
	if (n > 0)
		r->subject = 0;
	for (i = 0; i < n; i++) {
		if (escape && s[i] == '$')
			put(r, '$');
		put(r, s[i]);
	}
}

static void
put_subject(struct res *r)
{
	put_text(r, "$", 1, 0);
	r->subject = 1;
}

int
txtsub_resolve(const char *txt, char *const *vars, char *out, size_t len,
    int *adjacent)
{
	const char *t, *sx, *v;
	const char *base = vars != NULL ? vars[TXTSUB_BASE] : NULL;
	struct res r;

	memset(&r, 0, sizeof(r));
	r.buf = out;
	r.len = len;
	r.adjacent = adjacent;
	if (len == 0)
		return -1;
	/* sx is what "$=" stands for: NULL for the address */
	if (txt[0] == '=') {
		t = sx = txt + 1;
	} else if (base != NULL && base[0] != '\0') {
		sx = txt[0] != '\0' ? txt : NULL;
		t = base;
	} else
		t = sx = txt;
	while (*t != '\0') {
		if (*t != '$') {
			put_text(&r, t++, 1, 0);
			continue;
		}
		t++;
		if (*t == '$') {
			put_text(&r, "$$", 2, 0);
			t++;
		} else if (ISDIGIT(*t)) {
			v = vars != NULL ? vars[*t - '0'] : NULL;
			if (v != NULL)
				put_text(&r, v, strlen(v), 1);
			else {
				/* undefined: "$1" stays as written */
				put_text(&r, "$$", 2, 0);
				put_text(&r, t, 1, 0);
			}
			t++;
		} else if (*t == '=') {
			if (sx != NULL)
				put_text(&r, sx, strlen(sx), 1);
			else
				put_subject(&r);
			t++;
		} else
			put_subject(&r);	/* the next byte stays */
	}
	out[r.o] = '\0';
	return r.full ? -1 : (int)r.o;
}

void
txtsub_expand(const char *t, size_t n, const char *subject, char *buf,
    size_t len, size_t *o)
{
	size_t i, k, sl = strlen(subject);

	for (i = 0; i < n; i++) {
		if (t[i] == '$' && i + 1 < n && t[i + 1] == '$')
			i++;
		else if (t[i] == '$') {
			for (k = 0; k < sl && *o + 1 < len; k++)
				buf[(*o)++] = subject[k];
			continue;
		}
		if (*o + 1 < len)
			buf[(*o)++] = t[i];
	}
}
