/* SPDX-License-Identifier: ISC */
/*
 * test_rrl.c -- the rate limit: the rate a second by prefix, slip, a
 * new second, prefixes of one /24 (and /56) counted together, others
 * apart, the exempt list, off at rate 0, a reload's comparison, a
 * held query's count taken back.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rrl.h"
#include "addr.h"
#include "../tap.h"

static struct addr
ad(const char *s)
{
	struct addr a;
	char err[128];

	if (addr_parse(s, 0, &a, err, sizeof(err)) != 0)
		memset(&a, 0, sizeof(a));
	return a;
}

/* Send n answers to s at second t; count each action. */
static void
burst(struct rrl *r, const char *s, time_t t, int n, int *pass, int *drop,
    int *slip, int *started)
{
	struct addr a = ad(s), p;
	int i, st;

	*pass = *drop = *slip = *started = 0;
	for (i = 0; i < n; i++) {
		switch (rrl_check(r, &a, t, &st, &p)) {
		case RRL_PASS:
			(*pass)++;
			break;
		case RRL_DROP:
			(*drop)++;
			break;
		case RRL_SLIP:
			(*slip)++;
			break;
		}
		*started += st;
	}
}

int
main(void)
{
	struct rrl_conf c;
	struct addrlist ex = { NULL, 0 };
	struct addr a, p;
	struct rrl *r;
	char buf[ADDR_STRLEN];
	int pass, drop, slip, started, st;

	plan(32);
	memset(&c, 0, sizeof(c));
	c.rate = 10;
	c.slip = 2;
	c.v4len = 24;
	c.v6len = 56;
	c.size = 1024;
	a = ad("192.0.2.99/32");
	addrlist_add(&ex, &a);
	a = ad("2001:db8:ff::/48");
	addrlist_add(&ex, &a);
	c.exempt = &ex;
	r = rrl_new(&c);
	ok(r != NULL, "rate 10: a limiter");

	burst(r, "192.0.2.1", 1000, 30, &pass, &drop, &slip, &started);
	is_int(pass, 10, "30 in a second: 10 answered");
	is_int(slip, 10, "slip 2: every second one over is truncated");
	is_int(drop, 10, "the other 10 dropped");
	is_int(started, 1, "the first one over is reported once");
	burst(r, "192.0.2.200", 1000, 3, &pass, &drop, &slip, &started);
	is_int(pass, 0, "the same /24, the same second: over");
	is_int(started, 0, "and not reported again");
	burst(r, "192.0.3.1", 1000, 10, &pass, &drop, &slip, &started);
	is_int(pass, 10, "another /24 is counted apart");
	burst(r, "192.0.2.1", 1001, 12, &pass, &drop, &slip, &started);
	is_int(pass, 10, "a new second: 10 again");
	is_int(drop + slip, 2, "and 2 over");
	is_int(started, 1, "reported again in the new second");
	burst(r, "192.0.2.99", 1001, 50, &pass, &drop, &slip, &started);
	is_int(pass, 50, "an exempt address in a limited /24: all answered");
	burst(r, "192.0.2.98", 1001, 1, &pass, &drop, &slip, &started);
	is_int(pass, 0, "its neighbour is still limited");

	a = ad("192.0.2.1");
	(void)rrl_check(r, &a, 1002, &st, &p);
	for (st = 0; st == 0; )
		(void)rrl_check(r, &a, 1002, &st, &p);
	is_str(addr_format(&p, buf, sizeof(buf)), "192.0.2.0/24",
	    "the prefix reported is the /24");

	burst(r, "2001:db8:1:100::1", 2000, 15, &pass, &drop, &slip,
	    &started);
	is_int(pass, 10, "IPv6: 10 answered");
	burst(r, "2001:db8:1:1ff::2", 2000, 1, &pass, &drop, &slip, &started);
	is_int(pass, 0, "the same /56: over");
	burst(r, "2001:db8:1:200::1", 2000, 1, &pass, &drop, &slip, &started);
	is_int(pass, 1, "another /56: answered");
	burst(r, "2001:db8:ff:1::1", 2000, 40, &pass, &drop, &slip, &started);
	is_int(pass, 40, "an exempt IPv6 prefix: all answered");

	ok(rrl_conf_same(r, &c), "the same configuration: the same");
	c.slip = 1;
	ok(!rrl_conf_same(r, &c), "another slip: not the same");
	c.slip = 2;
	a = ad("198.51.100.0/24");
	addrlist_add(&ex, &a);
	ok(!rrl_conf_same(r, &c), "another exempt list: not the same");
	rrl_free(r);

	c.slip = 0;
	r = rrl_new(&c);
	burst(r, "203.0.113.5", 5, 20, &pass, &drop, &slip, &started);
	is_int(slip, 0, "slip 0: none truncated");
	is_int(drop, 10, "all over dropped");
	rrl_free(r);
	c.slip = 1;
	r = rrl_new(&c);
	burst(r, "203.0.113.5", 5, 20, &pass, &drop, &slip, &started);
	is_int(slip, 10, "slip 1: every one over truncated");
	rrl_free(r);

	/* a table of one bucket: two prefixes push each other out */
	c.slip = 2;
	c.size = 1;
	c.exempt = NULL;
	r = rrl_new(&c);
	burst(r, "203.0.113.5", 5, 10, &pass, &drop, &slip, &started);
	burst(r, "198.51.100.5", 5, 10, &pass, &drop, &slip, &started);
	is_int(pass, 10, "one bucket: the second prefix takes it over");
	burst(r, "198.51.100.5", 5, 1, &pass, &drop, &slip, &started);
	is_int(pass, 0, "and is limited in it");
	rrl_free(r);

	/* a held query's count is taken back: its answer counts later */
	c.size = 1024;
	r = rrl_new(&c);
	burst(r, "203.0.113.5", 7, 10, &pass, &drop, &slip, &started);
	a = ad("203.0.113.9");
	rrl_uncount(r, &a, 7);
	rrl_uncount(r, &a, 7);
	burst(r, "203.0.113.5", 7, 3, &pass, &drop, &slip, &started);
	is_int(pass, 2, "two taken back in the /24: two more pass");
	rrl_uncount(r, &a, 7);
	burst(r, "203.0.113.5", 7, 1, &pass, &drop, &slip, &started);
	is_int(pass, 0, "over the rate: nothing is taken back");
	rrl_uncount(r, &a, 8);
	burst(r, "203.0.113.5", 8, 10, &pass, &drop, &slip, &started);
	is_int(pass, 10, "a new second: taking back below nothing is nothing");
	rrl_free(r);

	c.rate = 0;
	ok(rrl_new(&c) == NULL, "rate 0: no limiter");
	ok(rrl_conf_same(NULL, &c), "rate 0 and none: the same");
	c.rate = 5;
	ok(!rrl_conf_same(NULL, &c), "rate 5 and none: not the same");
	free(ex.v);
	return done();
}
