/* SPDX-License-Identifier: ISC */
/*
 * addr.c -- IPv4 and IPv6 addresses and CIDR prefixes.
 */
#include "config.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "util.h"

void
addr_mask(struct addr *a)
{
	int bytes = ADDR_BYTES(a), i;

	for (i = 0; i < bytes; i++) {
		int bit = i * 8;

		if (bit >= a->len)
			a->a[i] = 0;
		else if (bit + 8 > a->len)
			a->a[i] &= (uint8_t)(0xff << (8 - (a->len - bit)));
	}
	for (i = bytes; i < 16; i++)
		a->a[i] = 0;
}

int
addr_parse(const char *s, int flags, struct addr *out, char *errbuf,
    size_t errlen)
{
	char buf[64], shown[ADDR_STRLEN];
	const char *slash, *errstr;
	struct addr a, m;
	uint64_t len;
	size_t n;

	memset(&a, 0, sizeof(a));
	slash = strchr(s, '/');
	n = slash ? (size_t)(slash - s) : strlen(s);
	if (n == 0 || n >= sizeof(buf)) {
		snprintf(errbuf, errlen, "bad address \"%.60s\"", s);
		return -1;
	}
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (inet_pton(AF_INET, buf, a.a) == 1)
		a.af = ADDR_V4;
	else if (inet_pton(AF_INET6, buf, a.a) == 1)
		a.af = ADDR_V6;
	else {
		snprintf(errbuf, errlen, "bad address \"%.60s\"", buf);
		return -1;
	}
	a.len = (uint8_t)ADDR_BITS(&a);
	if (slash != NULL) {
		if (parse_uint(slash + 1, 0, ADDR_BITS(&a), &len,
		    &errstr) == -1) {
			snprintf(errbuf, errlen, "bad prefix length \"%.10s\" "
			    "(0-%d)", slash + 1, ADDR_BITS(&a));
			return -1;
		}
		a.len = (uint8_t)len;
	}
	m = a;
	addr_mask(&m);
	if (memcmp(m.a, a.a, sizeof(a.a)) != 0 && !(flags & ADDR_MASK)) {
		snprintf(errbuf, errlen, "host bits set in \"%.60s\", did you "
		    "mean %s?", s, addr_format(&m, shown, sizeof(shown)));
		return -1;
	}
	*out = m;
	return 0;
}

char *
addr_format(const struct addr *a, char *buf, size_t len)
{
	char tmp[INET6_ADDRSTRLEN];

	if (inet_ntop(a->af == ADDR_V4 ? AF_INET : AF_INET6, a->a, tmp,
	    sizeof(tmp)) == NULL)
		str_copy(tmp, "?", sizeof(tmp));
	if (a->len == ADDR_BITS(a))
		snprintf(buf, len, "%s", tmp);
	else
		snprintf(buf, len, "%s/%u", tmp, a->len);
	return buf;
}

int
addr_contains(const struct addr *p, const struct addr *a)
{
	int full, rest;

	if (p->af != a->af || p->len > a->len)
		return 0;
	full = p->len / 8;
	rest = p->len % 8;
	if (memcmp(p->a, a->a, (size_t)full) != 0)
		return 0;
	if (rest) {
		uint8_t mask = (uint8_t)(0xff << (8 - rest));

		if ((p->a[full] & mask) != (a->a[full] & mask))
			return 0;
	}
	return 1;
}

int
addr_equal(const struct addr *a, const struct addr *b)
{
	return a->af == b->af && a->len == b->len &&
	    memcmp(a->a, b->a, sizeof(a->a)) == 0;
}

int
addr_is_internal(const struct addr *a)
{
	/* prefix bytes, its length in bits */
	static const struct {
		uint8_t	af, len, a[16];
	} in[] = {
		{ ADDR_V4, 8, { 0 } },			/* "this network" */
		{ ADDR_V4, 8, { 10 } },
		{ ADDR_V4, 10, { 100, 64 } },		/* shared (CGN) */
		{ ADDR_V4, 8, { 127 } },
		{ ADDR_V4, 16, { 169, 254 } },
		{ ADDR_V4, 12, { 172, 16 } },
		{ ADDR_V4, 24, { 192, 0, 0 } },		/* IETF protocol */
		{ ADDR_V4, 16, { 192, 168 } },
		{ ADDR_V4, 4, { 224 } },		/* multicast */
		{ ADDR_V4, 4, { 240 } },		/* reserved */
		{ ADDR_V6, 127, { 0 } },		/* :: and ::1 */
		{ ADDR_V6, 7, { 0xfc } },		/* unique local */
		{ ADDR_V6, 10, { 0xfe, 0x80 } },	/* link-local */
		{ ADDR_V6, 10, { 0xfe, 0xc0 } },	/* site-local */
		{ ADDR_V6, 8, { 0xff } },		/* multicast */
	};
	struct addr p, v4;
	size_t i;

	if (addr_unmap(a, &v4))
		a = &v4;
	for (i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
		memset(&p, 0, sizeof(p));
		p.af = in[i].af;
		p.len = in[i].len;
		memcpy(p.a, in[i].a, sizeof(p.a));
		if (p.af == a->af && addr_contains(&p, a))
			return 1;
	}
	return 0;
}

void
addr_from_v4(struct addr *a, uint32_t v)
{
	memset(a, 0, sizeof(*a));
	a->af = ADDR_V4;
	a->len = 32;
	a->a[0] = (uint8_t)(v >> 24);
	a->a[1] = (uint8_t)(v >> 16);
	a->a[2] = (uint8_t)(v >> 8);
	a->a[3] = (uint8_t)v;
}

int
addr_unmap(const struct addr *a, struct addr *v4)
{
	static const uint8_t mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	    0xff, 0xff };
	uint8_t b[4];

	if (a->af != ADDR_V6 || a->len != 128 ||
	    memcmp(a->a, mapped, sizeof(mapped)) != 0)
		return 0;
	memcpy(b, a->a + 12, sizeof(b));
	addr_from_bytes(v4, ADDR_V4, b);
	return 1;
}

void
addr_from_bytes(struct addr *a, int af, const uint8_t *bytes)
{
	memset(a, 0, sizeof(*a));
	a->af = (uint8_t)af;
	a->len = (uint8_t)ADDR_BITS(a);
	memcpy(a->a, bytes, (size_t)ADDR_BYTES(a));
}

/* Bit i (0 = most significant) of the address. */
static int
getbit(const uint8_t *b, int i)
{
	return (b[i / 8] >> (7 - i % 8)) & 1;
}

/* Add 1 to the big-endian number in b[0..n-1]; returns the carry out. */
static int
incr(uint8_t *b, int n)
{
	while (n-- > 0)
		if (++b[n] != 0)
			return 0;
	return 1;
}

int
addr_range_to_cidrs(const struct addr *lo, const struct addr *hi,
    int (*cb)(const struct addr *, void *), void *arg)
{
	int bits = ADDR_BITS(lo), bytes = ADDR_BYTES(lo), r;
	struct addr cur = *lo, p;

	for (;;) {
		int len, i, done;

		/*
		 * The largest block that starts at cur (its trailing zero
		 * bits) and does not pass hi.
		 */
		for (len = bits; len > 0 && !getbit(cur.a, len - 1); len--)
			;
		for (;; len++) {
			p = cur;
			p.len = (uint8_t)len;
			/* last address of the block: cur with host bits set */
			struct addr last = cur;
			for (i = len; i < bits; i++)
				last.a[i / 8] |= (uint8_t)(1 << (7 - i % 8));
			if (memcmp(last.a, hi->a, (size_t)bytes) <= 0) {
				done = memcmp(last.a, hi->a,
				    (size_t)bytes) == 0;
				if ((r = cb(&p, arg)) != 0)
					return r;
				cur = last;
				break;
			}
		}
		if (done || incr(cur.a, bytes))
			return 0;
	}
}

int
addrlist_match(const struct addrlist *l, const struct addr *a)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (addr_contains(&l->v[i], a))
			return 1;
	return 0;
}

void
addrlist_add(struct addrlist *l, const struct addr *a)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (addr_equal(&l->v[i], a))
			return;		/* harmless repetition */
	l->v = xreallocarray(l->v, l->n + 1, sizeof(*l->v));
	l->v[l->n++] = *a;
}

char *
addr_format_hex(const struct addr *a, char *buf, size_t len)
{
	int best = -1, bestn = 0, i, n;
	size_t o = 0;

	if (a->af != ADDR_V6)
		return addr_format(a, buf, len);
	/* the longest run of zero groups, the first of equal ones */
	for (i = 0; i < 8; i += n ? n : 1) {
		for (n = 0; i + n < 8 && a->a[2 * (i + n)] == 0 &&
		    a->a[2 * (i + n) + 1] == 0; n++)
			;
		if (n > bestn && n > 1) {
			best = i;
			bestn = n;
		}
	}
	buf[0] = '\0';
	for (i = 0; i < 8 && o < len; i++) {
		if (i == best) {
			o += (size_t)snprintf(buf + o, len - o, "::");
			i += bestn - 1;
			continue;
		}
		o += (size_t)snprintf(buf + o, len - o, "%s%x",
		    i > 0 && i != best + bestn ? ":" : "",
		    (unsigned)(a->a[2 * i] << 8 | a->a[2 * i + 1]));
	}
	if (a->len != 128 && o < len)
		(void)snprintf(buf + o, len - o, "/%u", a->len);
	return buf;
}
