/* SPDX-License-Identifier: ISC */
/*
 * qname.c -- addresses in DNSxL query names.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "qname.h"

/* A decimal octet label: 1-3 digits, 0-255, no leading zero. -1 if not. */
static int
label_octet(const uint8_t *l)
{
	int len = l[0], v = 0, i;

	if (len < 1 || len > 3 || (len > 1 && l[1] == '0'))
		return -1;
	for (i = 1; i <= len; i++) {
		if (l[i] < '0' || l[i] > '9')
			return -1;
		v = v * 10 + (l[i] - '0');
	}
	return v > 255 ? -1 : v;
}

/* A nibble label: one hex digit, either case. -1 if not. */
static int
label_nibble(const uint8_t *l)
{
	uint8_t c = l[1];

	if (l[0] != 1)
		return -1;
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

enum qname_kind
qname_to_addr(const uint8_t *name, int n, struct addr *a)
{
	const uint8_t *l;
	int i, v4 = n >= 1 && n <= 4, v6 = n >= 1 && n <= 32;
	uint8_t b[16];

	if (!v4 && !v6)
		return QNAME_INVALID;
	memset(b, 0, sizeof(b));
	for (i = 0, l = name; i < n; i++, l += 1 + l[0]) {
		int o, nib;

		if (v4) {
			if ((o = label_octet(l)) < 0)
				v4 = 0;
			else if (n == 4)
				b[3 - i] = (uint8_t)o;
		}
		if (v6) {
			if ((nib = label_nibble(l)) < 0)
				v6 = 0;
			else if (n == 32)
				b[(31 - i) / 2] |= (uint8_t)(((31 - i) % 2) ?
				    nib : nib << 4);
		}
		if (!v4 && !v6)
			return QNAME_INVALID;
	}
	if (v4 && n == 4) {
		addr_from_bytes(a, ADDR_V4, b);
		return QNAME_ADDR;
	}
	if (v6 && n == 32) {
		addr_from_bytes(a, ADDR_V6, b);
		return QNAME_ADDR;
	}
	return QNAME_PARTIAL;
}

char *
qname_from_addr(const struct addr *a, char *buf, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	size_t o = 0;
	int i;

	if (a->af == ADDR_V4) {
		snprintf(buf, len, "%u.%u.%u.%u", a->a[3], a->a[2], a->a[1],
		    a->a[0]);
		return buf;
	}
	if (len < 64) {
		if (len)
			buf[0] = '\0';
		return buf;
	}
	for (i = 15; i >= 0; i--) {
		buf[o++] = hex[a->a[i] & 0xf];
		buf[o++] = '.';
		buf[o++] = hex[a->a[i] >> 4];
		buf[o++] = i ? '.' : '\0';
	}
	return buf;
}
