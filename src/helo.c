/* SPDX-License-Identifier: ISC */
/*
 * helo.c -- the bad-HELO list and the HELO-name judgement.
 *
 * The list is kept as two sorted arrays, the names and the wildcards
 * ("*.suffix"), so a match costs one binary search for the name and one
 * per parent domain, with no allocation.
 */
#include "config.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helo.h"
#include "reason.h"
#include "util.h"

#define NAME_MAXLEN	253
#define LABEL_MAXLEN	63

struct helo_list {
	char	**names;	/* sorted */
	size_t	  nnames;
	char	**wild;		/* "*.suffix", sorted by suffix */
	size_t	  nwild;
};

/* A lower-case domain name: 1-63 byte labels of [a-z0-9_-]. */
static int
valid_name(const char *s)
{
	size_t label = 0, len = strlen(s);

	if (len == 0 || len > NAME_MAXLEN)
		return 0;
	for (; *s != '\0'; s++) {
		if (*s == '.') {
			if (label == 0)
				return 0;
			label = 0;
		} else if ((*s >= 'a' && *s <= 'z') ||
		    (*s >= '0' && *s <= '9') || *s == '-' || *s == '_') {
			if (++label > LABEL_MAXLEN)
				return 0;
		} else
			return 0;
	}
	return label > 0;
}

static int
cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Wildcards compare by their suffix, after "*.". */
static int
cmp_wild(const void *a, const void *b)
{
	return strcmp(*(char *const *)a + 2, *(char *const *)b + 2);
}

static void
add(char ***v, size_t *n, char *s)
{
	*v = xreallocarray(*v, *n + 1, sizeof(**v));
	(*v)[(*n)++] = s;
}

static void
parse_line(struct helo_list *l, struct line_errs *ld, char *s)
{
	char norm[HELO_NAMELEN], b[160], *end;
	const char *name;

	if ((end = strchr(s, '#')) != NULL)
		*end = '\0';
	s += strspn(s, " \t\r");
	end = s + strcspn(s, " \t\r");
	if (*s == '\0')
		return;
	if (*(end + strspn(end, " \t\r")) != '\0') {
		line_error(ld, "one name a line, not \"%s\"", str_escape(b,
		    sizeof(b), s, strlen(s)));
		return;
	}
	*end = '\0';
	name = strncmp(s, "*.", 2) == 0 ? s + 2 : s;
	if (helo_normalize(name, strlen(name), norm, sizeof(norm)) == -1 ||
	    !valid_name(norm)) {
		line_error(ld, "\"%s\" is not a name or a wildcard such as "
		    "*.localdomain", str_escape(b, sizeof(b), s, strlen(s)));
		return;
	}
	if (name == s)
		add(&l->names, &l->nnames, xstrdup(norm));
	else {
		char *w;

		(void)xasprintf(&w, "*.%s", norm);
		add(&l->wild, &l->nwild, w);
	}
}

static struct helo_list *
load_buf(const char *file, char *text, pattern_err_fn *err, void *arg,
    int *nerrors)
{
	struct helo_list *l;
	struct line_errs ld;
	char *s, *nl;

	memset(&ld, 0, sizeof(ld));
	ld.file = file;
	ld.err = err;
	ld.arg = arg;
	l = xcalloc(1, sizeof(*l));
	for (s = text; *s != '\0'; s = nl + 1) {
		ld.line++;
		if ((nl = strchr(s, '\n')) != NULL)
			*nl = '\0';
		parse_line(l, &ld, s);
		if (nl == NULL)
			break;
	}
	if (l->nnames > 0)
		qsort(l->names, l->nnames, sizeof(*l->names), cmp_name);
	if (l->nwild > 0)
		qsort(l->wild, l->nwild, sizeof(*l->wild), cmp_wild);
	if (nerrors != NULL)
		*nerrors = ld.nerrors;
	if (ld.nerrors > 0) {
		helo_list_free(l);
		return NULL;
	}
	return l;
}

struct helo_list *
helo_list_load_string(const char *name, const char *text,
    pattern_err_fn *err, void *arg, int *nerrors)
{
	struct helo_list *l;
	char *copy = xstrdup(text);

	l = load_buf(name, copy, err, arg, nerrors);
	free(copy);
	return l;
}

struct helo_list *
helo_list_load(const char *path, pattern_err_fn *err, void *arg,
    int *nerrors)
{
	struct helo_list *l;
	char *buf;
	size_t len;

	if (read_data_file(path, err, arg, nerrors, &buf, &len) == -1)
		return NULL;
	l = load_buf(path, buf, err, arg, nerrors);
	free(buf);
	return l;
}

struct helo_list *
helo_list_for(const struct conf *conf, pattern_err_fn *err, void *arg,
    int *nerrors)
{
	size_t i;

	*nerrors = 0;
	for (i = 0; i < conf->nzones; i++)
		if (conf->zones[i].type == ZONE_HELO &&
		    (conf->zones[i].checks & (1U << REASON_BAD_NAME)))
			return helo_list_load(conf->bad_helo_names, err, arg,
			    nerrors);
	return NULL;
}

void
helo_list_free(struct helo_list *l)
{
	size_t i;

	if (l == NULL)
		return;
	for (i = 0; i < l->nnames; i++)
		free(l->names[i]);
	for (i = 0; i < l->nwild; i++)
		free(l->wild[i]);
	free(l->names);
	free(l->wild);
	free(l);
}

size_t
helo_list_count(const struct helo_list *l)
{
	return l->nnames + l->nwild;
}

const char *
helo_list_match(const struct helo_list *l, const char *name)
{
	char buf[HELO_NAMELEN + 2], *key = buf, **hit;
	const char *s;

	if (l->nnames > 0 && (hit = bsearch(&name, l->names, l->nnames,
	    sizeof(*l->names), cmp_name)) != NULL)
		return *hit;
	/* "*.d" lists every name below d: try each parent domain */
	for (s = strchr(name, '.'); s != NULL && l->nwild > 0;
	    s = strchr(s + 1, '.')) {
		if (snprintf(buf, sizeof(buf), "*.%s", s + 1) >=
		    (int)sizeof(buf))
			return NULL;
		if ((hit = bsearch(&key, l->wild, l->nwild, sizeof(*l->wild),
		    cmp_wild)) != NULL)
			return *hit;
	}
	return NULL;
}

int
helo_normalize(const char *in, size_t len, char *out, size_t outlen)
{
	size_t i;

	if (len > 0 && in[len - 1] == '.')
		len--;
	if (len == 0 || len > NAME_MAXLEN + 2 || len >= outlen)
		return -1;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)in[i];

		if (c <= 0x20 || c >= 0x7f)
			return -1;
		out[i] = c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') :
		    (char)c;
	}
	out[len] = '\0';
	return 0;
}

/* An address, as a whole string; 1 if it is one. */
static int
parse_ip(const char *s, struct addr *a)
{
	uint8_t b[16];

	if (inet_pton(AF_INET, s, b) == 1) {
		addr_from_bytes(a, ADDR_V4, b);
		return 1;
	}
	if (inet_pton(AF_INET6, s, b) == 1) {
		addr_from_bytes(a, ADDR_V6, b);
		return 1;
	}
	return 0;
}

/*
 * An IPv6 address written as 32 reversed nibbles ("1.0.0.0...8.b.d.0.1.0.0.2"),
 * the way Exim's dnslists turns an IPv6 key into a query name; 1 if so.
 */
static int
parse_nibbles(const char *s, struct addr *a)
{
	uint8_t b[16];
	int i, v;

	if (strlen(s) != 63)
		return 0;
	memset(b, 0, sizeof(b));
	for (i = 0; i < 32; i++) {
		char c = s[2 * i];

		if (i < 31 && s[2 * i + 1] != '.')
			return 0;
		if (c >= '0' && c <= '9')
			v = c - '0';
		else if (c >= 'a' && c <= 'f')
			v = c - 'a' + 10;
		else
			return 0;
		/* nibble i counts from the last one of the address */
		b[15 - i / 2] |= (uint8_t)(i % 2 ? v << 4 : v);
	}
	addr_from_bytes(a, ADDR_V6, b);
	return 1;
}

/* "[192.0.2.1]" or "[ipv6:2001:db8::1]" (RFC 5321 address literals). */
static int
parse_literal(const char *name, struct addr *a)
{
	char inner[HELO_NAMELEN];
	size_t len = strlen(name);
	uint8_t b[16];

	if (len < 3 || name[0] != '[' || name[len - 1] != ']')
		return 0;
	memcpy(inner, name + 1, len - 2);
	inner[len - 2] = '\0';
	if (strncmp(inner, "ipv6:", 5) == 0) {
		if (inet_pton(AF_INET6, inner + 5, b) != 1)
			return 0;
		addr_from_bytes(a, ADDR_V6, b);
		return 1;
	}
	if (inet_pton(AF_INET, inner, b) != 1)
		return 0;
	addr_from_bytes(a, ADDR_V4, b);
	return 1;
}

/*
 * Is the address one of own-names:? Exim's dnslists reverses an IPv4 key
 * ("HELO 192.0.2.1" is asked as 1.2.0.192.<zone>), so a bare IPv4 address
 * counts in either order.
 */
static int
own_addr(const struct conf *conf, const struct helo_result *r)
{
	struct addr rev;
	uint8_t b[4];

	if (addrlist_match(&conf->own_addrs, &r->a))
		return 1;
	if (r->form != HELO_BARE_IP || r->a.af != ADDR_V4)
		return 0;
	b[0] = r->a.a[3];
	b[1] = r->a.a[2];
	b[2] = r->a.a[1];
	b[3] = r->a.a[0];
	addr_from_bytes(&rev, ADDR_V4, b);
	return addrlist_match(&conf->own_addrs, &rev);
}

void
helo_judge(const struct helo_env *env, const char *name, unsigned checks,
    struct helo_result *r)
{
	const struct conf *conf = env->conf;
	struct pattern_match m;
	size_t i;

	memset(r, 0, sizeof(*r));
	if (name[0] == '[') {
		r->form = parse_literal(name, &r->a) ? HELO_LITERAL :
		    HELO_OTHER;
	} else if (parse_ip(name, &r->a) || parse_nibbles(name, &r->a)) {
		r->form = HELO_BARE_IP;
		r->reasons |= 1U << REASON_BARE_IP;
	} else if (!valid_name(name)) {
		r->form = HELO_OTHER;
	} else {
		r->form = HELO_NAME;
		if (strchr(name, '.') == NULL)
			r->reasons |= 1U << REASON_NO_DOT;
		else
			r->lookup = (checks & (1U << REASON_NO_DNS)) != 0;
		if (env->bad != NULL &&
		    (r->bad_entry = helo_list_match(env->bad, name)) != NULL)
			r->reasons |= 1U << REASON_BAD_NAME;
		for (i = 0; conf != NULL && i < conf->nown_names; i++)
			if (strcmp(conf->own_names[i], name) == 0) {
				r->own = conf->own_names[i];
				r->reasons |= 1U << REASON_OWN_NAME;
			}
		if (env->pat != NULL) {
			if (patterns_match(env->pat, name, &m)) {
				r->rule = m.rule;
				r->reasons |= 1U << REASON_HELO_DYNAMIC;
			}
			r->exception = m.exception;
		}
	}
	if ((r->form == HELO_LITERAL || r->form == HELO_BARE_IP) &&
	    conf != NULL && own_addr(conf, r)) {
		r->own = "an own address";
		r->reasons |= 1U << REASON_OWN_NAME;
	}
	r->reasons &= checks;
}
