/* SPDX-License-Identifier: ISC */
/*
 * addr.h -- IPv4 and IPv6 addresses and CIDR prefixes.
 *
 * One type serves for a single address (len 32 or 128) and a range.
 * The address bytes past the prefix length are always zero.
 */
#ifndef ADDR_H
#define ADDR_H

#include <stddef.h>
#include <stdint.h>

#define ADDR_V4	4
#define ADDR_V6	6

/* Longest text form: IPv6 with a prefix length. */
#define ADDR_STRLEN	(46 + 4)

struct addr {
	uint8_t	af;		/* ADDR_V4 or ADDR_V6 */
	uint8_t	len;		/* prefix length: 0-32 or 0-128 */
	uint8_t	a[16];		/* network order; IPv4 uses a[0..3] */
};

/* Address length in bits (32 or 128) and bytes (4 or 16). */
#define ADDR_BITS(x)	((x)->af == ADDR_V4 ? 32 : 128)
#define ADDR_BYTES(x)	((x)->af == ADDR_V4 ? 4 : 16)

/*
 * Parse "ADDR" or "ADDR/LEN". A plain address is a full-length prefix.
 * Host bits set past LEN are an error ("host bits set, did you mean
 * 10.1.2.0/24?") unless ADDR_MASK is given, in which case they are
 * cleared. Returns 0, or -1 with a message in errbuf.
 */
#define ADDR_MASK	0x01
int	addr_parse(const char *s, int flags, struct addr *out, char *errbuf,
	    size_t errlen);

/* Clear the bits past len. */
void	addr_mask(struct addr *a);

/*
 * Text form: "192.0.2.1", "192.0.2.0/24", "2001:db8::/32"; the "/LEN"
 * is omitted for a full-length prefix. Returns buf.
 */
char	*addr_format(const struct addr *a, char *buf, size_t len);

/*
 * As addr_format, but IPv6 in hex groups only: RFC 5952 compression
 * without the dotted IPv4 tail that inet_ntop() writes for ::ffff:0:0/96
 * and ::/96. rbldnsd reads and writes IPv6 this way (its "$" in TXT is
 * the queried address in this form). Returns buf.
 */
char	*addr_format_hex(const struct addr *a, char *buf, size_t len);

/* 1 if range p contains address or range a (same family), else 0. */
int	addr_contains(const struct addr *p, const struct addr *a);

/* 1 if equal (family, length and bytes), else 0. */
int	addr_equal(const struct addr *a, const struct addr *b);

/*
 * 1 if address A is in a range for use inside a network, whose hosts and
 * names are nobody else's business: RFC 1918, shared (100.64/10),
 * loopback, link-local, 0/8, 192.0.0/24, multicast and reserved IPv4
 * (also IPv4-mapped); ::, ::1, unique and link- or site-local, and
 * multicast IPv6. Else 0.
 */
int	addr_is_internal(const struct addr *a);

/*
 * 1 if A is a full-length IPv4-mapped IPv6 address (::ffff:a.b.c.d),
 * with its IPv4 address a.b.c.d in *V4 (may be A itself); else 0.
 */
int	addr_unmap(const struct addr *a, struct addr *v4);

/* Make an addr from 4 bytes (IPv4) or 16 bytes (IPv6), full length. */
void	addr_from_v4(struct addr *a, uint32_t host_order);
void	addr_from_bytes(struct addr *a, int af, const uint8_t *bytes);

/*
 * Split the inclusive range [lo, hi] (same family, full-length
 * addresses, lo <= hi) into the fewest CIDR prefixes; calls cb for each
 * in ascending order. Returns 0, or the first non-zero value cb returned.
 */
int	addr_range_to_cidrs(const struct addr *lo, const struct addr *hi,
	    int (*cb)(const struct addr *, void *), void *arg);

/* A list of prefixes, such as allow-query. */
struct addrlist {
	struct addr	*v;
	size_t		 n;
};

/* 1 if any prefix of the list contains a. */
int	addrlist_match(const struct addrlist *l, const struct addr *a);

/* Append a to the list, unless it is already there. */
void	addrlist_add(struct addrlist *l, const struct addr *a);

#endif /* ADDR_H */
