/* SPDX-License-Identifier: ISC */
/*
 * pattern.c -- dynamic-host patterns (S25R and local rules) and their
 * exceptions.
 *
 * Rules are POSIX extended regular expressions compiled once at load time
 * (REG_ICASE | REG_NOSUB). Exceptions are kept as a sorted array of
 * lower-case names, so a match costs one binary search per label of the
 * name plus one regexec() per rule tried, with no allocation: the name is
 * folded into a stack buffer.
 */
#include "config.h"

#include <sys/types.h>

#include <regex.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pattern.h"
#include "conf.h"
#include "reason.h"
#include "util.h"

#define NAME_MAX_LEN	253	/* a domain name in text, no final dot */
#define LABEL_MAX_LEN	63
#define RULE_NAME_MAX	64
#define MSG_MAX		1024
#define QUOTE_MAX	128	/* bytes of file text quoted in a message */
/*
 * The most a rule may cost (regex_cost): glibc's regcomp takes time and
 * memory that double with each stacked or nested repetition (22 "+" on
 * one atom: 16 s; 24: over 4 GB), and it runs in the event loop at a
 * reload. A rule of cost 2000 compiles in at most some 25 ms (nested
 * bounded repetitions, the worst kind); the S25R rules cost at most 16.
 * The rules of a file may cost PATTERNS_COST_MAX in all, some 0.6 s at
 * worst, so that many rules each under the limit cannot stall a reload
 * either.
 */
#define PATTERN_COST_MAX	2000
#define PATTERNS_COST_MAX	50000
/*
 * The largest bound of a "{m,n}": glibc compiles "a{0,n}" in time that
 * grows with n squared (n = 1999: 0.1 s), and no bound past POSIX's
 * smallest RE_DUP_MAX is of use on a name of at most 253 bytes.
 */
#define BOUND_MAX		255
#define COST_BOUND		UINT64_MAX	/* regex_cost: a bound too big */
#define COST_STACKED		(UINT64_MAX - 1)	/* a repeated repetition */
#define COST_EMPTY		(UINT64_MAX - 2)	/* a repeated empty match */
#define COST_DEPTH		32	/* nested groups followed */

struct rule {
	char		*name;
	regex_t		 re;
	int		 line;
};

struct exception {
	char		*name;
	int		 line;
};

struct patterns {
	struct rule	*rules;
	size_t		 nrules;
	size_t		 rulecap;
	char		**exc;		/* sorted by strcmp() after loading */
	struct exception *excl;		/* in file order while loading */
	size_t		 nexc;
	size_t		 exccap;
	uint64_t	 cost;		/* of the rules so far (regex_cost) */
};

/* Escape up to QUOTE_MAX bytes of file text for a message. */
static const char *
quote(char *buf, size_t len, const char *s, size_t slen)
{
	if (slen > QUOTE_MAX)
		slen = QUOTE_MAX;
	return str_escape(buf, len, s, slen);
}

static int
is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

static char
lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static int
valid_rule_name(const char *s, size_t len)
{
	size_t i;

	if (len == 0 || len > RULE_NAME_MAX)
		return 0;
	for (i = 0; i < len; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= '0' && s[i] <= '9') || s[i] == '_' ||
		    s[i] == '-'))
			return 0;
	return 1;
}

/*
 * Is the lower-case name S a domain name: 1-63 byte labels of letters,
 * digits, hyphens (not first or last) and underscores (found in the wild
 * in PTR names), at most 253 bytes, no empty label?
 */
static int
valid_domain(const char *s)
{
	size_t len, lab;
	const char *p;

	len = strlen(s);
	if (len == 0 || len > NAME_MAX_LEN)
		return 0;
	lab = 0;
	for (p = s; ; p++) {
		if (*p == '.' || *p == '\0') {
			if (lab == 0 || lab > LABEL_MAX_LEN || p[-1] == '-')
				return 0;
			if (*p == '\0')
				return 1;
			lab = 0;
			continue;
		}
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		    *p == '_' || (*p == '-' && lab > 0)))
			return 0;
		lab++;
	}
}

/* Saturating helpers: a cost past PATTERN_COST_MAX is only "too much". */
static uint64_t
cost_cap(uint64_t c)
{
	return c > PATTERN_COST_MAX ? PATTERN_COST_MAX + 1 : c;
}

/*
 * What compiling extended regex RE would cost, roughly: an atom costs 1,
 * a group the sum of what it holds, and each repetition multiplies the
 * cost of what it repeats (by 2 for "*", "+" and "?", by one more than
 * its bound for "{m,n}"), so that stacked and nested repetitions, which
 * glibc expands, multiply. Returns the cost, capped past
 * PATTERN_COST_MAX, or PATTERN_COST_MAX + 1 for groups nested too deep,
 * or instead of a cost:
 *   COST_BOUND	a bound past BOUND_MAX;
 *   COST_STACKED	one repetition right after another ("a*+", "a{2}{3}"),
 *		which POSIX leaves undefined;
 *   COST_EMPTY	a repetition of what can match the empty string ("^*",
 *		"(a*)+", "(x|)?"), which means no more than the same
 *		without it.
 * glibc compiles the last two in time no cost here foretells, growing
 * faster than twice for each ("a*" and nine "+": 0.4 s where "a" and
 * ten take 3 ms; "(^|.){3,9}{0,3}": 24 s).
 */
static uint64_t
regex_cost(const char *re)
{
	uint64_t sum[COST_DEPTH], last = 0, m, n;
	/*
	 * Per group: can the atoms before the last one of the alternative
	 * being read all match empty (alt), can an alternative already
	 * read (any); can the last atom (lnull)?
	 */
	int alt[COST_DEPTH], any[COST_DEPTH], lnull = 0, rmin0, rep = 0;
	const char *s = re;
	int d = 0;

	sum[0] = 0;
	alt[0] = 1;
	any[0] = 0;
	while (*s != '\0') {
		if (!(*s == '*' || *s == '+' || *s == '?' || *s == '{'))
			rep = 0;
		if (last != 0 && (*s == '(' || *s == '|' || *s == ')')) {
			alt[d] = alt[d] && lnull;	/* done with it */
			last = 0;
		}
		switch (*s) {
		case '(':
			if (++d == COST_DEPTH)
				return PATTERN_COST_MAX + 1;
			sum[d] = 0;
			alt[d] = 1;
			any[d] = 0;
			s++;
			continue;
		case '|':
			any[d] = any[d] || alt[d];
			alt[d] = 1;
			s++;
			continue;
		case ')':
			s++;
			if (d == 0)
				break;	/* a literal ")": an atom below */
			last = sum[d] ? sum[d] : 1;
			lnull = any[d] || alt[d];
			d--;
			sum[d] = cost_cap(sum[d] + last);
			continue;
		case '*':
		case '?':
			m = 2;
			rmin0 = 1;
			s++;
			goto repeat;
		case '+':
			m = 2;
			rmin0 = 0;
			s++;
			goto repeat;
		case '{':
			m = n = 0;
			for (s++; *s >= '0' && *s <= '9'; s++)
				m = cost_cap(m * 10 + (uint64_t)(*s - '0'));
			rmin0 = m == 0;
			if (*s == ',')
				for (s++; *s >= '0' && *s <= '9'; s++)
					n = cost_cap(n * 10 +
					    (uint64_t)(*s - '0'));
			if (*s == '}')
				s++;
			if (m > BOUND_MAX || n > BOUND_MAX)
				return COST_BOUND;
			m = (n > m ? n : m) + 1;
			goto repeat;
		case '[':
			/* a bracket expression is one atom */
			s++;
			if (*s == '^')
				s++;
			if (*s == ']')
				s++;
			while (*s != '\0' && *s != ']') {
				if (*s == '[' && (s[1] == ':' || s[1] == '.' ||
				    s[1] == '=')) {
					const char *e = strstr(s + 2, ":]");

					s = e != NULL ? e + 2 : s + 1;
				} else
					s++;
			}
			if (*s == ']')
				s++;
			break;
		case '^':
		case '$':
			s++;
			if (last != 0)
				alt[d] = alt[d] && lnull;
			last = 1;
			lnull = 1;	/* an anchor matches empty */
			sum[d] = cost_cap(sum[d] + 1);
			continue;
		case '\\':
			if (s[1] != '\0')
				s++;
			/* FALLTHROUGH */
		default:
			s++;
			break;
		}
		/* an atom */
		if (last != 0)
			alt[d] = alt[d] && lnull;
		last = 1;
		lnull = 0;
		sum[d] = cost_cap(sum[d] + 1);
		continue;
repeat:
		/* a repetition of the last atom: its cost m times over */
		if (last == 0)
			continue;
		if (rep)
			return COST_STACKED;
		if (lnull)
			return COST_EMPTY;
		rep = 1;
		if (sum[d] <= PATTERN_COST_MAX)	/* else over already */
			sum[d] = cost_cap(sum[d] - last + cost_cap(last * m));
		last = cost_cap(last * m);
		lnull = rmin0;
	}
	while (d > 0) {
		sum[d - 1] = cost_cap(sum[d - 1] + sum[d]);
		d--;
	}
	return sum[0];
}

static void
add_rule(struct patterns *p, struct line_errs *ld, const char *name,
    size_t namelen, const char *re)
{
	struct rule *r;
	char qb[QUOTE_MAX * 4 + 1], eb[256];
	uint64_t cost;
	size_t i;
	int rc;

	if (!valid_rule_name(name, namelen)) {
		line_error(ld, "bad rule name \"%s\" (want [a-z0-9_-]+, "
		    "at most %d bytes)", quote(qb, sizeof(qb), name, namelen),
		    RULE_NAME_MAX);
		return;
	}
	for (i = 0; i < p->nrules; i++) {
		if (strlen(p->rules[i].name) == namelen &&
		    memcmp(p->rules[i].name, name, namelen) == 0) {
			line_error(ld, "duplicate rule \"%.*s\" (first at "
			    "line %d)", (int)namelen, name, p->rules[i].line);
			return;
		}
	}
	if (*re == '\0') {
		line_error(ld, "rule \"%.*s\": missing regex", (int)namelen,
		    name);
		return;
	}
	if ((cost = regex_cost(re)) == COST_STACKED) {
		line_error(ld, "rule \"%.*s\": a repetition right after "
		    "another (such as \"a*+\"): write one", (int)namelen,
		    name);
		return;
	}
	if (cost == COST_EMPTY) {
		line_error(ld, "rule \"%.*s\": a repetition of what can "
		    "match the empty string (such as \"(a*)+\" or \"^*\"): "
		    "write it without", (int)namelen, name);
		return;
	}
	if (cost == COST_BOUND) {
		line_error(ld, "rule \"%.*s\": a repetition bound past %d "
		    "(a name has at most 253 bytes): use a smaller one, or "
		    "\"*\" or \"+\"", (int)namelen, name, BOUND_MAX);
		return;
	}
	if (cost > PATTERN_COST_MAX) {
		line_error(ld, "rule \"%.*s\": regex too costly to compile "
		    "(its repetitions, stacked or nested, multiply past %d): "
		    "simplify it", (int)namelen, name, PATTERN_COST_MAX);
		return;
	}
	if (p->cost + cost > PATTERNS_COST_MAX) {
		line_error(ld, "rule \"%.*s\": the rules so far cost %llu "
		    "to compile, this one %llu, past %d for a file: simplify "
		    "or merge rules", (int)namelen, name,
		    (unsigned long long)p->cost, (unsigned long long)cost,
		    PATTERNS_COST_MAX);
		return;
	}
	if (p->nrules == p->rulecap) {
		p->rulecap = p->rulecap ? p->rulecap * 2 : 8;
		p->rules = xreallocarray(p->rules, p->rulecap,
		    sizeof(*p->rules));
	}
	r = &p->rules[p->nrules];
	if ((rc = regcomp(&r->re, re, REG_EXTENDED | REG_ICASE |
	    REG_NOSUB)) != 0) {
		(void)regerror(rc, &r->re, eb, sizeof(eb));
		line_error(ld, "rule \"%.*s\": bad regex: %s",
		    (int)namelen, name, eb);
		return;
	}
	r->name = xstrndup(name, namelen);
	r->line = ld->line;
	p->nrules++;
	p->cost += cost;
}

static void
add_exception(struct patterns *p, struct line_errs *ld, const char *s,
    size_t len)
{
	char name[NAME_MAX_LEN + 2], qb[QUOTE_MAX * 4 + 1];
	size_t i;

	if (len > 0 && s[len - 1] == '.')
		len--;
	if (len == 0 || len > NAME_MAX_LEN) {
		line_error(ld, "except: bad name \"%s\"",
		    quote(qb, sizeof(qb), s, len));
		return;
	}
	for (i = 0; i < len; i++)
		name[i] = lower(s[i]);
	name[len] = '\0';
	if (!valid_domain(name)) {
		line_error(ld, "except: bad name \"%s\"",
		    quote(qb, sizeof(qb), s, len));
		return;
	}
	/* Quadratic, but exception lists are short (the shipped one: ~20). */
	for (i = 0; i < p->nexc; i++) {
		if (strcmp(p->excl[i].name, name) == 0) {
			line_error(ld, "duplicate exception \"%s\" (first at "
			    "line %d)", name, p->excl[i].line);
			return;
		}
	}
	if (p->nexc == p->exccap) {
		p->exccap = p->exccap ? p->exccap * 2 : 16;
		p->excl = xreallocarray(p->excl, p->exccap, sizeof(*p->excl));
	}
	p->excl[p->nexc].name = xstrdup(name);
	p->excl[p->nexc].line = ld->line;
	p->nexc++;
}

/* Parse one line (LEN bytes, no newline). */
static void
parse_line(struct patterns *p, struct line_errs *ld, const char *s, size_t len)
{
	char buf[MSG_MAX], qb[QUOTE_MAX * 4 + 1];
	const char *end = s + len, *w, *arg, *arge;
	size_t wlen;

	if (memchr(s, '\0', len) != NULL) {
		line_error(ld, "NUL byte in line");
		return;
	}
	while (s < end && is_space((unsigned char)*s))
		s++;
	while (end > s && is_space((unsigned char)end[-1]))
		end--;
	if (s == end || *s == '#')
		return;

	w = s;
	while (s < end && !is_space((unsigned char)*s))
		s++;
	wlen = (size_t)(s - w);
	while (s < end && is_space((unsigned char)*s))
		s++;

	if (wlen == 4 && memcmp(w, "rule", 4) == 0) {
		if (s == end) {
			line_error(ld, "rule: missing name");
			return;
		}
		arg = s;
		while (s < end && !is_space((unsigned char)*s))
			s++;
		arge = s;
		while (s < end && is_space((unsigned char)*s))
			s++;
		/* The regex is the rest of the line; it may hold spaces. */
		if ((size_t)(end - s) >= sizeof(buf)) {
			line_error(ld, "rule \"%.*s\": regex too long "
			    "(at most %zu bytes)", (int)(arge - arg), arg,
			    sizeof(buf) - 1);
			return;
		}
		memcpy(buf, s, (size_t)(end - s));
		buf[end - s] = '\0';
		add_rule(p, ld, arg, (size_t)(arge - arg), buf);
	} else if (wlen == 6 && memcmp(w, "except", 6) == 0) {
		if (s == end) {
			line_error(ld, "except: missing name");
			return;
		}
		arg = s;
		while (s < end && !is_space((unsigned char)*s))
			s++;
		if (s != end) {
			line_error(ld, "except: one name a line");
			return;
		}
		add_exception(p, ld, arg, (size_t)(s - arg));
	} else
		line_error(ld, "unknown directive \"%s\"",
		    quote(qb, sizeof(qb), w, wlen));
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static struct patterns *
load_buf(const char *name, const char *text, size_t len,
    pattern_err_fn *err, void *arg, int *nerrors)
{
	struct patterns *p;
	struct line_errs ld;
	const char *s = text, *end = text + len, *nl;
	size_t i;

	memset(&ld, 0, sizeof(ld));
	ld.file = name;
	ld.err = err;
	ld.arg = arg;
	p = xcalloc(1, sizeof(*p));
	while (s < end) {
		ld.line++;
		if ((nl = memchr(s, '\n', (size_t)(end - s))) == NULL)
			nl = end;
		parse_line(p, &ld, s, (size_t)(nl - s));
		s = nl + 1;
	}

	/* Keep the names only, sorted for bsearch(). */
	p->exc = xcalloc(p->nexc ? p->nexc : 1, sizeof(*p->exc));
	for (i = 0; i < p->nexc; i++)
		p->exc[i] = p->excl[i].name;
	free(p->excl);
	p->excl = NULL;
	qsort(p->exc, p->nexc, sizeof(*p->exc), cmp_str);

	if (nerrors != NULL)
		*nerrors = ld.nerrors;
	if (ld.nerrors > 0) {
		patterns_free(p);
		return NULL;
	}
	return p;
}

struct patterns *
patterns_load_string(const char *name, const char *text, pattern_err_fn *err,
    void *arg, int *nerrors)
{
	return load_buf(name, text, strlen(text), err, arg, nerrors);
}

struct patterns *
patterns_load(const char *path, pattern_err_fn *err, void *arg,
    int *nerrors)
{
	struct patterns *p;
	char *buf;
	size_t len;

	if (read_data_file(path, err, arg, nerrors, &buf, &len) == -1)
		return NULL;
	p = load_buf(path, buf, len, err, arg, nerrors);
	free(buf);
	return p;
}

void
patterns_free(struct patterns *p)
{
	size_t i;

	if (p == NULL)
		return;
	for (i = 0; i < p->nrules; i++) {
		regfree(&p->rules[i].re);
		free(p->rules[i].name);
	}
	free(p->rules);
	for (i = 0; i < p->nexc; i++)
		free(p->exc != NULL ? p->exc[i] : p->excl[i].name);
	free(p->exc);
	free(p->excl);
	free(p);
}

struct patterns *
patterns_for(const struct conf *conf, pattern_err_fn *err, void *arg,
    int *nerrors)
{
	size_t i;

	*nerrors = 0;
	for (i = 0; i < conf->nzones; i++)
		if (conf->zones[i].checks & ((1U << REASON_DYNAMIC) |
		    (1U << REASON_HELO_DYNAMIC)))
			return patterns_load(conf->dynamic_patterns, err, arg,
			    nerrors);
	return NULL;
}

int
patterns_match(const struct patterns *p, const char *name,
    struct pattern_match *m)
{
	char buf[NAME_MAX_LEN + 3];
	const char *s, *key;
	char **hit;
	size_t len, i;

	if (m != NULL)
		m->rule = m->exception = NULL;
	len = strlen(name);
	if (len > 0 && name[len - 1] == '.')
		len--;
	/* Not a domain name: nothing to match (and no room to fold it). */
	if (len == 0 || len >= sizeof(buf))
		return 0;
	for (i = 0; i < len; i++)
		buf[i] = lower(name[i]);
	buf[len] = '\0';

	/* The longest covering exception first: the whole name, then up. */
	for (s = buf; p->nexc > 0; s++) {
		key = s;
		hit = bsearch(&key, p->exc, p->nexc, sizeof(*p->exc), cmp_str);
		if (hit != NULL) {
			if (m != NULL)
				m->exception = *hit;
			return 0;
		}
		if ((s = strchr(s, '.')) == NULL)
			break;
	}

	for (i = 0; i < p->nrules; i++) {
		if (regexec(&p->rules[i].re, buf, 0, NULL, 0) == 0) {
			if (m != NULL)
				m->rule = p->rules[i].name;
			return 1;
		}
	}
	return 0;
}

size_t
patterns_count(const struct patterns *p, size_t *nexceptions)
{
	if (nexceptions != NULL)
		*nexceptions = p->nexc;
	return p->nrules;
}
