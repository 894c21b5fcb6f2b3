/* SPDX-License-Identifier: ISC */
/*
 * xfr.c -- zone transfers in threads of their own (xfr.h).
 *
 * A transfer reads, in one snapshot: the zone's serial, the white list
 * and the delisting exemptions (a dnsbl zone: copied, they are small),
 * then the zone's list in store order, merged with their exceptions
 * (ipmerge.h), with the
 * RFC 5782 test points put in their place, into xfrmap.h, whose records
 * go out in messages of about XFR_MSG bytes, blocking on the socket.
 * An IXFR first reads the journal since the secondary's serial in a
 * snapshot of its own (ixfr()): the single SOA when it is current; the
 * increment (increment()) from the changed regions' old and new views,
 * each through the same record generation (zone_gen()) into a set that
 * xfrdiff.h compares; the whole zone otherwise, with the reason logged.
 */
#include "config.h"

#include <sys/random.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>

#include "xfr.h"
#include "answer.h"
#include "conf.h"
#include "decide.h"
#include "ipmerge.h"
#include "log.h"
#include "store.h"
#include "store_list.h"
#include "tsig.h"
#include "util.h"
#include "wire.h"
#include "xfrdiff.h"
#include "xfrlists.h"
#include "xfrmap.h"
#include "zone.h"

#define XFR_MSG		16384	/* a message is sent once this long */
#define XFR_BUF		65535
#define XFR_SNDTIMEO	30	/* s a peer may leave a write waiting */
#define TYPE_SOA	6
#define TYPE_NS		2
#define TYPE_A		1
#define TYPE_TXT	16
#define TYPE_HINFO	13
#define PLACEHOLDER_CPU	"not listed"
#define XFR_TESTPOINT	0x80000000U	/* an entry's flag: a test point */

struct job {
	struct xfr		*x;
	struct job		*next;
	pthread_t		 th;
	int			 fd;
	int			 done;		/* the thread has ended */
	const struct zone	*z;
	char			 peer[ADDR_STRLEN];
	uint16_t		 id;
	uint16_t		 qtype;
	int			 has_from;	/* an IXFR with its SOA */
	uint32_t		 from;		/* the serial it has */
	const char		*whole;		/* why an IXFR gets the whole
						   zone (NULL: it does not) */
	/* an IXFR's changes, their regions, the entries of those */
	struct chg		*chg;
	size_t			 nchg;
	uint8_t			 region[XFRDIFF_REGIONS];
	struct store_entry	*nv[2 + ZONE_LISTS_MAX];	/* copies */
	size_t			 nn[2 + ZONE_LISTS_MAX];
	struct xfrdiff_set	*col;		/* records go here, not out */
	int			 phase;		/* the middle SOA is out */
	uint64_t		 ndel, nadd;
	uint8_t			 qname[WIRE_MAXNAME];
	size_t			 qname_len;
	/* the walk */
	time_t			 now;
	uint32_t		 serial;
	struct ipmerge		*merge;		/* a dnsbl zone */
	struct xfrmap		*map;
	struct store_entry	*white;		/* copies */
	size_t			 nwhite, iwhite;
	struct store_entry	*exempt;	/* copies */
	size_t			 nexempt;
	/* a zone of several lists, or an rhsbl zone: copies of each */
	struct xfrlists_list	 lists[ZONE_LISTS_MAX];
	struct job_list {
		struct job		*j;
		struct store_entry	*v;
		size_t			 n;
	}			 copy[ZONE_LISTS_MAX];
	int			 excepted;	/* both made one */
	struct store_entry	 tp[4];		/* test points, in order */
	size_t			 ntp, itp;
	int			 failed;	/* stop everything */
	int			 sign;		/* the query was signed: tsig */
	struct tsig		 tsig;
	/* the message being filled */
	uint8_t			 buf[2 + XFR_BUF];
	size_t			 len;
	uint16_t		 ancount;
	int			 started;	/* the first SOA is out */
	uint64_t		 records, bytes, messages;
	char			 err[600];
};

/* A change since an IXFR's serial: the entry's key, its old value. */
struct chg {
	unsigned		 l;
	int			 had;	/* 1: e is its value; 0: absent */
	size_t			 seq;	/* its order in the journal */
	struct store_entry	 e;	/* strings in one block at e.reason */
};

/* A list the capture walk copies for an IXFR. */
struct cap {
	struct job		*j;
	size_t			 k;
};

/* A NOTIFY sent and not yet answered. */
struct pending {
	struct pending		*next;
	char			 zone[WIRE_MAXNAME * 4];
	char			 target[ADDR_STRLEN + 8];
	struct sockaddr_storage	 ss;
	socklen_t		 sslen;
	uint16_t		 id;
	int			 tries;
	struct timespec		 due;		/* the next try */
	uint8_t			 msg[WIRE_HDRLEN + 2 * WIRE_MAXNAME + 40 +
				    2 * WIRE_MAXNAME + 20 + TSIG_MAXLEN];
	size_t			 len;
	int			 sign;		/* with tsig and key */
	struct tsig		 tsig;
	struct conf_key		 key;		/* a copy: outlives a reload */
};

/* What the secondaries of a zone were last told. */
struct told {
	char			 zone[WIRE_MAXNAME * 4];
	uint32_t		 serial;
	struct timespec		 at;
};

struct xfr {
	struct event_base	*base;
	int			 nfd[2];	/* NOTIFY sockets, IPv4, IPv6 */
	struct event		*nev[2];
	struct pending		*pend;
	struct told		*told;
	size_t			 ntold;
	uint64_t		 notifies;	/* sent, retries included */
	pthread_mutex_t		 mtx;
	struct store		*store;
	struct job		*jobs;
	unsigned		 running;
	uint64_t		 started;
	volatile int		 stop;
};

static void
pending_free(struct pending *p)
{
	free(p->key.name);
	free(p->key.raw);
	free(p);
}

static void
put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/* Start a message: header and the question. */
static void
msg_begin(struct job *j)
{
	uint8_t *p = j->buf + 2;

	memset(p, 0, WIRE_HDRLEN);
	put16(p, j->id);
	p[2] = 0x84;			/* QR, AA */
	put16(p + 4, 1);
	memcpy(p + WIRE_HDRLEN, j->qname, j->qname_len);
	put16(p + WIRE_HDRLEN + j->qname_len, j->qtype);
	put16(p + WIRE_HDRLEN + j->qname_len + 2, 1);
	j->len = WIRE_HDRLEN + j->qname_len + 4;
	j->ancount = 0;
}

static int
write_all(int fd, const uint8_t *p, size_t n)
{
	ssize_t w;

	while (n > 0) {
		if ((w = write(fd, p, n)) == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/*
 * Send the message, if it has records, and start the next. For a signed
 * query every message is signed, each MAC chained to the one before.
 */
static int
msg_send(struct job *j)
{
	size_t n;

	if (j->ancount == 0)
		return 0;
	put16(j->buf + 2 + 6, j->ancount);
	if (j->sign) {
		if ((n = tsig_sign(&j->tsig, j->buf + 2, j->len, XFR_BUF,
		    time(NULL))) == 0) {
			snprintf(j->err, sizeof(j->err), "cannot sign a "
			    "message with TSIG");
			return -1;
		}
		j->len = n;
	}
	put16(j->buf, (uint16_t)j->len);
	if (j->x->stop) {
		snprintf(j->err, sizeof(j->err), "ended by a reload or "
		    "the end");
		return -1;
	}
	if (write_all(j->fd, j->buf, j->len + 2) == -1) {
		snprintf(j->err, sizeof(j->err), "write: %s",
		    strerror(errno));
		return -1;
	}
	j->bytes += j->len + 2;
	j->messages++;
	msg_begin(j);
	return 0;
}

/*
 * Append a record: owner the labels of name (wire form without the
 * final root, nlen bytes) and the apex (a pointer to the question).
 */
static int
rr_add(struct job *j, const uint8_t *name, size_t nlen, uint16_t type,
    uint32_t ttl, const uint8_t *rd, size_t rdlen)
{
	uint8_t *p;

	if (j->col != NULL) {
		xfrdiff_add(j->col, name, nlen, type, ttl, rd, rdlen);
		j->records++;
		return 0;
	}
	/* room is left for the TSIG record */
	if (j->len + nlen + 12 + rdlen > XFR_BUF - TSIG_MAXLEN &&
	    msg_send(j) == -1)
		return -1;
	p = j->buf + 2 + j->len;
	if (nlen > 0)
		memcpy(p, name, nlen);
	p += nlen;
	put16(p, 0xc000 | WIRE_HDRLEN);
	put16(p + 2, type);
	put16(p + 4, 1);
	wire_put32(p + 6, ttl);
	put16(p + 10, (uint16_t)rdlen);
	memcpy(p + 12, rd, rdlen);
	j->len += nlen + 12 + rdlen;
	j->ancount++;
	j->records++;
	if (j->len >= XFR_MSG)
		return msg_send(j);
	return 0;
}

static int
add_soa(struct job *j)
{
	uint8_t rd[sizeof(j->z->soa_rdata)];

	memcpy(rd, j->z->soa_rdata, j->z->soa_len);
	wire_put32(rd + j->z->soa_len - 20, j->serial);
	return rr_add(j, NULL, 0, TYPE_SOA, j->z->conf->negative_ttl, rd,
	    j->z->soa_len);
}

/* The opening SOA and the NS records, before the first record. */
static int
zone_begin(struct job *j)
{
	size_t i;

	if (j->started)
		return 0;
	j->started = 1;
	if (add_soa(j) == -1)
		return -1;
	for (i = 0; i < j->z->nns; i++)
		if (rr_add(j, NULL, 0, TYPE_NS, j->z->conf->ttl,
		    j->z->ns_rdata[i], j->z->ns_len[i]) == -1)
			return -1;
	return 0;
}

/* The labels of node r below the apex, in wire form; returns the length. */
static size_t
node_name(const struct xfrmap_rec *r, uint8_t *out)
{
	static const char hex[] = "0123456789abcdef";
	size_t o = 0;
	int d, v;

	if (r->wild) {
		out[o++] = 1;
		out[o++] = '*';
	}
	for (d = r->depth - 1; d >= 0; d--) {
		if (r->af == ADDR_V4) {
			char t[4];
			int n = snprintf(t, sizeof(t), "%u", r->a[d]);

			out[o++] = (uint8_t)n;
			memcpy(out + o, t, (size_t)n);
			o += (size_t)n;
		} else {
			v = (r->a[d / 2] >> (d % 2 ? 0 : 4)) & 0xf;
			out[o++] = 1;
			out[o++] = (uint8_t)hex[v];
		}
	}
	return o;
}

struct txt_arg {
	struct job	*j;
	const uint8_t	*name;
	size_t		 nlen;
};

static int
txt_emit(void *arg, const char *txt, size_t len)
{
	struct txt_arg *ta = arg;
	uint8_t rd[WIRE_TXT_RDMAX];

	return rr_add(ta->j, ta->name, ta->nlen, TYPE_TXT,
	    ta->j->z->conf->ttl, rd, wire_txt_rdata(txt, len, rd)) == -1;
}

/*
 * The A and TXT records of listed v at name, those the daemon answers
 * (decide_codes, decide_txts) with "$" subject.
 */
static int
add_verdict(struct job *j, const uint8_t *name, size_t nlen,
    const struct verdict *v, const char *subject)
{
	struct txt_arg ta = { j, name, nlen };
	uint32_t codes[DECIDE_CODES_MAX];
	uint8_t rd[4];
	size_t n, i;

	n = decide_codes(j->z, v, codes);
	for (i = 0; i < n; i++) {
		wire_put32(rd, codes[i]);
		if (rr_add(j, name, nlen, TYPE_A, j->z->conf->ttl, rd, 4) == -1)
			return -1;
	}
	return decide_txts(j->z, v, subject, txt_emit, &ta) != 0 ? -1 : 0;
}

/*
 * A verdict for reason from hits[i], the entry of the zone's list i
 * that lists (NULL: that list does not), as decide.c's lists make it.
 */
static void
verdict_hits(const struct zone *z, const struct store_entry *const *hits,
    size_t n, enum reason reason, struct verdict *v)
{
	const struct conf_zone *cz = z->conf;
	struct verdict_hit *h;
	uint32_t code;
	size_t i;

	memset(v, 0, offsetof(struct verdict, check));
	v->reasons = 0;
	v->nmore = 0;
	for (i = 0; i < n; i++) {
		if (hits[i] == NULL)
			continue;
		code = hits[i]->code ? hits[i]->code : cz->lists[i].code ?
		    cz->lists[i].code : cz->code[reason];
		if (!v->listed) {
			v->listed = 1;
			v->reason = reason;
			v->code = code;
			v->have_entry = 1;
			v->entry = *hits[i];
			v->entry_list = z->lists[i];
			continue;
		}
		h = &v->more[v->nmore++];
		h->list = z->lists[i];
		h->code = code;
		h->entry = *hits[i];
	}
}

/* The records of what r lists, as the daemon answers it. */
static int
add_listed(struct job *j, const uint8_t *name, size_t nlen,
    const struct xfrmap_rec *r)
{
	const struct zone *z = j->z;
	const struct conf_zone *cz = z->conf;
	const struct store_entry *one = r->e;
	struct verdict v;
	struct addr a;
	char subject[ADDR_STRLEN + 4];
	enum reason reason;

	reason = cz->type == ZONE_DNSWL ? REASON_WHITELIST : REASON_BLACKLIST;
	if (r->e->flags & XFR_TESTPOINT) {
		verdict_hits(z, NULL, 0, reason, &v);
		v.listed = 1;
		v.test_point = 1;
		v.reason = reason;
		v.code = cz->code[reason];
	} else if (r->ext != NULL)
		/* a zone of several lists: which of them list it */
		verdict_hits(z, r->ext, r->ext_len / sizeof(one), reason, &v);
	else
		verdict_hits(z, &one, 1, reason, &v);
	/* "$" is the address, or for a wildcard the listed prefix */
	if (r->wild)
		addr_format(&r->e->prefix, subject, sizeof(subject));
	else {
		memset(&a, 0, sizeof(a));
		a.af = (uint8_t)r->af;
		a.len = r->af == ADDR_V4 ? 32 : 128;
		memcpy(a.a, r->a, sizeof(a.a));
		addr_format(&a, subject, sizeof(subject));
	}
	return add_verdict(j, name, nlen, &v, subject);
}

/* A name that exists without a listing (doc/design.md). */
static int
add_placeholder(struct job *j, const uint8_t *name, size_t nlen)
{
	uint8_t rd[sizeof(PLACEHOLDER_CPU) + 1];

	rd[0] = sizeof(PLACEHOLDER_CPU) - 1;
	memcpy(rd + 1, PLACEHOLDER_CPU, sizeof(PLACEHOLDER_CPU) - 1);
	rd[sizeof(PLACEHOLDER_CPU)] = 0;
	return rr_add(j, name, nlen, TYPE_HINFO, j->z->conf->ttl, rd,
	    sizeof(rd));
}

static int
map_emit(void *arg, const struct xfrmap_rec *r)
{
	struct job *j = arg;
	uint8_t name[2 + 32 * 4];

	if (zone_begin(j) == -1)
		return 1;
	if (r->e == NULL)
		return add_placeholder(j, name, node_name(r, name)) == -1;
	return add_listed(j, name, node_name(r, name), r) == -1;
}

/* A record of an rhsbl zone (xfrlists_names). */
static int
name_emit(void *arg, const char *name, int wild,
    const struct store_entry *const *hits, size_t n, int test)
{
	struct job *j = arg;
	const struct conf_zone *cz = j->z->conf;
	struct verdict v;
	uint8_t wn[WIRE_MAXNAME];
	size_t o = 0, l;

	if (j->x->stop || zone_begin(j) == -1)
		return 1;
	if (wild) {
		wn[o++] = 1;
		wn[o++] = '*';
	}
	/* a name too long for the zone is no query either: left out */
	if (o + strlen(name) + 1 + j->z->apex_len > WIRE_MAXNAME)
		return 0;
	for (; *name != '\0'; name += l + (name[l] == '.')) {
		l = strcspn(name, ".");
		if (l == 0 || l > 63)
			return 0;
		wn[o++] = (uint8_t)l;
		memcpy(wn + o, name, l);
		o += l;
	}
	if (test) {
		/* RFC 5782 section 5: TEST is listed */
		verdict_hits(j->z, NULL, 0, REASON_DOMAIN, &v);
		v.listed = 1;
		v.test_point = 1;
		v.reason = REASON_DOMAIN;
		v.code = cz->code[REASON_DOMAIN];
		return add_verdict(j, wn, o, &v, "test") == -1;
	}
	if (hits == NULL)
		return add_placeholder(j, wn, o) == -1;
	verdict_hits(j->z, hits, n, REASON_DOMAIN, &v);
	/* "$" is the listing entry's name (decide_txt) */
	return add_verdict(j, wn, o, &v, "") == -1;
}

/* Into the map, after the test points that come before it. */
static int
to_map_ext(struct job *j, const struct store_entry *e, const void *ext,
    size_t ext_len)
{
	int r;

	while (j->itp < j->ntp && (e == NULL ||
	    ipmerge_cmp(&j->tp[j->itp].prefix, &e->prefix) <= 0)) {
		const struct store_entry *t = &j->tp[j->itp++];

		if ((r = xfrmap_add(j->map, t)) != 0)
			return r;
		/* the test point answers instead of the list */
		if (e != NULL && ipmerge_cmp(&t->prefix, &e->prefix) == 0)
			return 0;
	}
	return e == NULL ? 0 : xfrmap_add_ext(j->map, e, ext, ext_len);
}

static int
to_map(struct job *j, const struct store_entry *e)
{
	return to_map_ext(j, e, NULL, 0);
}

/* A prefix of a zone of several lists (xfrlists_addr). */
static int
lists_emit(void *arg, const struct addr *prefix,
    const struct store_entry *const *hits, size_t n)
{
	struct job *j = arg;
	struct store_entry e;
	size_t i;

	memset(&e, 0, sizeof(e));
	e.prefix = *prefix;
	e.reason = e.actor = "";
	e.flags = ENTRY_EXCLUDE;
	for (i = 0; i < n; i++)
		if (hits[i] != NULL)
			e.flags = 0;
	if (j->x->stop || to_map_ext(j, &e, hits, n * sizeof(*hits)) != 0)
		j->failed = 1;
	return j->failed;
}

/* Copy an entry of one of the zone's lists (several, or rhsbl). */
static int
copy_cb(void *arg, const struct store_entry *e)
{
	struct job_list *l = arg;

	if (l->j->x->stop)
		return l->j->failed = 1;
	if (!store_entry_expired(e, l->j->now))
		ipmerge_entry_push(&l->v, &l->n, e);
	return 0;
}

static int
merge_emit(void *arg, const struct store_entry *e)
{
	struct job *j = arg;

	if (to_map(j, e) != 0)
		j->failed = 1;
	return j->failed;
}

static int
white_cb(void *arg, const struct store_entry *e)
{
	struct job *j = arg;

	if (!store_entry_expired(e, j->now))
		ipmerge_entry_push(&j->white, &j->nwhite, e);
	return 0;
}

/*
 * A self-service exemption (ENTRY_SELF) exempts from the computed checks
 * only (decide.c), never from the lists, and a transfer carries only the
 * lists: it is left out, so that a secondary does not show unlisted an
 * address the daemon lists.
 */
static int
exempt_cb(void *arg, const struct store_entry *e)
{
	struct job *j = arg;

	if (!store_entry_expired(e, j->now) && !(e->flags & ENTRY_SELF))
		ipmerge_entry_push(&j->exempt, &j->nexempt, e);
	return 0;
}

/* The white list and the exemptions as one, in j->white. */
static void
exceptions(struct job *j)
{
	if (j->excepted)
		return;
	ipmerge_exceptions(&j->white, &j->nwhite, j->exempt, j->nexempt);
	j->exempt = NULL;
	j->nexempt = 0;
	j->excepted = 1;
}

/* Merge the white entries before prefix p (all: p NULL). */
static int
white_upto(struct job *j, const struct addr *p)
{
	const struct store_entry *w;

	exceptions(j);
	while (!j->failed && j->iwhite < j->nwhite) {
		w = &j->white[j->iwhite];
		if (p != NULL && ipmerge_cmp(&w->prefix, p) > 0)
			break;
		j->iwhite++;
		if (ipmerge_add(j->merge, LIST_WHITE, w) != 0)
			j->failed = 1;
	}
	return j->failed;
}

static int
list_cb(void *arg, const struct store_entry *e)
{
	struct job *j = arg;

	if (j->failed || j->x->stop)
		return j->failed = 1;
	if (store_entry_expired(e, j->now))
		return 0;
	if (j->merge == NULL) {
		if (to_map(j, e) != 0)
			j->failed = 1;
		return j->failed;
	}
	if (white_upto(j, &e->prefix) != 0)
		return 1;
	if (ipmerge_add(j->merge, LIST_BLACK, e) != 0)
		j->failed = 1;
	return j->failed;
}

static void
test_points(struct job *j)
{
	static const uint8_t v6[16] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff,
	    0xff, 127, 0, 0, 1 };
	struct store_entry *t;
	int i;

	/* 127.0.0.1 not listed, 127.0.0.2 listed; the same mapped */
	for (i = 0; i < 4; i++) {
		t = &j->tp[i];
		memset(t, 0, sizeof(*t));
		t->reason = t->actor = "";
		if (i < 2)
			addr_from_v4(&t->prefix, 0x7f000001U + (uint32_t)i);
		else {
			addr_from_bytes(&t->prefix, ADDR_V6, v6);
			t->prefix.a[15] = (uint8_t)(1 + (i - 2));
		}
		t->flags = i % 2 == 0 ? ENTRY_EXCLUDE : XFR_TESTPOINT;
	}
	j->ntp = 4;
}

/*
 * The lists the zone's records come from, in the order they are read,
 * into ids, and each one's role into role (0 the white list, 1 the
 * exemptions, 2 + i the zone's list i); returns how many.
 */
static size_t
zone_ids(const struct zone *z, unsigned *ids, size_t *role)
{
	const struct conf_zone *cz = z->conf;
	size_t n = 0, i;
	int lists;

	lists = cz->type == ZONE_DNSWL ||
	    (cz->type == ZONE_DNSBL && (cz->checks & (1U << REASON_BLACKLIST))) ||
	    (cz->type == ZONE_RHSBL && (cz->checks & (1U << REASON_DOMAIN)));
	if (cz->type == ZONE_DNSBL) {
		role[n] = 0;
		ids[n++] = LIST_WHITE;
		if (z->exempt != ZONE_NOLIST) {
			role[n] = 1;
			ids[n++] = z->exempt;
		}
	}
	for (i = 0; lists && i < z->nlists; i++) {
		if (z->lists[i] == ZONE_NOLIST)
			continue;
		role[n] = 2 + i;
		ids[n++] = z->lists[i];
	}
	return n;
}

/* Does the zone's data come from list l? */
static int
zone_reads(const struct zone *z, unsigned l)
{
	size_t i;

	if (z->conf->type == ZONE_DNSBL && (l == LIST_WHITE ||
	    l == z->exempt))
		return 1;
	for (i = 0; i < z->nlists; i++)
		if (z->lists[i] == l)
			return 1;
	return 0;
}

/* The region of an entry of the zone's lists (xfrdiff.h), or -1. */
static int
entry_region(const struct zone *z, const struct store_entry *e)
{
	if (z->conf->type == ZONE_RHSBL)
		return e->dname != NULL ?
		    xfrdiff_name_region(e->dname, e->dname_len) : -1;
	return xfrdiff_region(&e->prefix);
}

/*
 * The order of entries by key: a domain list's by name, then the name
 * before its wildcard; an address list's as the store walks it.
 */
static int
entry_key_cmp(const struct store_entry *a, const struct store_entry *b)
{
	size_t n;
	int c;

	if (a->dname == NULL || b->dname == NULL)
		return ipmerge_cmp(&a->prefix, &b->prefix);
	n = a->dname_len < b->dname_len ? a->dname_len : b->dname_len;
	if ((c = memcmp(a->dname, b->dname, n)) != 0)
		return c;
	if (a->dname_len != b->dname_len)
		return a->dname_len < b->dname_len ? -1 : 1;
	return (a->flags & ENTRY_WILD) == (b->flags & ENTRY_WILD) ? 0 :
	    (a->flags & ENTRY_WILD) ? 1 : -1;
}

/*
 * A change since the secondary's serial, of a list the zone reads:
 * kept, its region marked, when an increment can carry it; otherwise
 * j->whole says why the whole zone goes (RFC 1995 allows an AXFR-form
 * answer to an IXFR) and the journal's walk stops.
 */
static int
since_cb(void *arg, unsigned l, const struct store_entry *e, int had,
    char *errbuf, size_t errlen)
{
	struct job *j = arg;
	struct chg *c;
	char *str;
	int r;

	(void)errbuf;
	(void)errlen;
	if (!zone_reads(j->z, l))
		return 0;
	if (e == NULL)
		j->whole = "an import changed a list of the zone";
	else if (had == -1)
		j->whole = "the journal was written by an older version";
	else if ((r = entry_region(j->z, e)) == -1)
		j->whole = j->z->conf->type == ZONE_RHSBL ?
		    "a change of a top-level domain's entry" :
		    "a change of a prefix wider than a first label";
	else {
		j->region[r] = 1;
		j->chg = xreallocarray(j->chg, j->nchg + 1, sizeof(*j->chg));
		c = &j->chg[j->nchg];
		c->l = l;
		c->had = had;
		c->seq = j->nchg++;
		c->e = *e;
		if (!had) {
			c->e.reason_len = c->e.actor_len = 0;
			c->e.reason = c->e.actor = "";
		}
		str = xmalloc(c->e.reason_len + c->e.actor_len +
		    c->e.dname_len + 1);
		memcpy(str, c->e.reason, c->e.reason_len);
		memcpy(str + c->e.reason_len, c->e.actor, c->e.actor_len);
		if (c->e.dname != NULL)
			memcpy(str + c->e.reason_len + c->e.actor_len,
			    c->e.dname, c->e.dname_len);
		c->e.reason = str;
		c->e.actor = str + c->e.reason_len;
		if (c->e.dname != NULL)
			c->e.dname = c->e.actor + c->e.actor_len;
		return 0;
	}
	return 2;
}

/* Order of changes: list, key, then journal order. */
static int
chg_cmp(const void *x, const void *y)
{
	const struct chg *a = x, *b = y;
	int c;

	if (a->l != b->l)
		return a->l < b->l ? -1 : 1;
	if ((c = entry_key_cmp(&a->e, &b->e)) != 0)
		return c;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

/* Keep each entry's first change: its value before the range. */
static void
chg_oldest(struct job *j)
{
	size_t i, o = 0;

	if (j->nchg == 0)
		return;
	qsort(j->chg, j->nchg, sizeof(*j->chg), chg_cmp);
	for (i = 0; i < j->nchg; i++) {
		if (o > 0 && j->chg[o - 1].l == j->chg[i].l &&
		    entry_key_cmp(&j->chg[o - 1].e, &j->chg[i].e) == 0) {
			free((char *)(uintptr_t)j->chg[i].e.reason);
			continue;
		}
		j->chg[o++] = j->chg[i];
	}
	j->nchg = o;
}

/* The change of list l's entry of e's key, or NULL. */
static const struct chg *
chg_find(const struct job *j, unsigned l, const struct store_entry *e)
{
	size_t lo = 0, hi = j->nchg, mid;
	int c;

	while (lo < hi) {
		mid = (lo + hi) / 2;
		c = j->chg[mid].l != l ? (j->chg[mid].l < l ? -1 : 1) :
		    entry_key_cmp(&j->chg[mid].e, e);
		if (c == 0)
			return &j->chg[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/*
 * Copy an entry of a list the zone reads for the IXFR's views: those
 * of the changed regions, and those wider than a first label or of a
 * top-level domain (they cover the regions); none that has expired.
 */
static int
capture_cb(void *arg, const struct store_entry *e)
{
	struct cap *c = arg;
	struct job *j = c->j;
	int r;

	if (j->whole != NULL || j->x->stop)
		return 1;
	if (store_entry_expired(e, j->now))
		return 0;
	r = entry_region(j->z, e);
	if (r == -1 || j->region[r])
		ipmerge_entry_push(&j->nv[c->k], &j->nn[c->k], e);
	return 0;
}

static int
entry_cmp(const void *x, const void *y)
{
	return entry_key_cmp(x, y);
}

/*
 * The old view of list l from its new one (nv, nn): the changed
 * entries with their values before the range put back (kept even when
 * they have expired since: the secondary holds what it was sent), in
 * store order, into *ov, *on (copies).
 */
static void
view_old(const struct job *j, unsigned l, const struct store_entry *nv,
    size_t nn, struct store_entry **ov, size_t *on)
{
	struct store_entry e;
	size_t i;

	for (i = 0; i < nn; i++)
		if (chg_find(j, l, &nv[i]) == NULL)
			ipmerge_entry_push(ov, on, &nv[i]);
	for (i = 0; i < j->nchg; i++) {
		if (j->chg[i].l != l || !j->chg[i].had)
			continue;
		e = j->chg[i].e;
		e.expires = 0;
		ipmerge_entry_push(ov, on, &e);
	}
	if (*on > 0)
		qsort(*ov, *on, sizeof(**ov), entry_cmp);
}

static void
entries_free(struct store_entry *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free((char *)(uintptr_t)v[i].reason);
	free(v);
}

/*
 * An IXFR (RFC 1995): from the serial the secondary has, the single SOA
 * when it is current; the changes since and the entries of their regions
 * (j->chg, j->nv) when an increment can go; otherwise j->whole says why
 * the whole zone goes. Returns 1 when answered, 2 for an increment, 0 to
 * send the whole zone, -1 on an error.
 */
static int
ixfr(struct job *j)
{
	struct store_since since;
	store_walk_fn *cbs[2 + ZONE_LISTS_MAX];
	void *args[2 + ZONE_LISTS_MAX];
	unsigned ids[2 + ZONE_LISTS_MAX];
	size_t role[2 + ZONE_LISTS_MAX];
	struct cap caps[2 + ZONE_LISTS_MAX];
	char errbuf[512];
	size_t n, k;

	if (!j->has_from) {
		j->whole = "the query has no SOA";
		return 0;
	}
	/* the journal since the serial, then the changed regions' entries */
	n = zone_ids(j->z, ids, role);
	for (k = 0; k < n; k++) {
		caps[k].j = j;
		caps[k].k = k;
		cbs[k] = capture_cb;
		args[k] = &caps[k];
	}
	memset(&since, 0, sizeof(since));
	since.serial = j->from;
	since.fn = since_cb;
	since.arg = j;
	if (store_walk_snapshot(j->x->store, ids, n, cbs, args,
	    j->z->conf->name, &j->serial, &since, errbuf,
	    sizeof(errbuf)) != STORE_OK) {
		snprintf(j->err, sizeof(j->err), "store: %s", errbuf);
		return -1;
	}
	switch (since.result) {
	case STORE_SINCE_CURRENT:
		if (add_soa(j) == -1 || msg_send(j) == -1)
			return -1;
		log_info("xfr: IXFR of zone %s serial %u to %s: up to date, "
		    "one SOA", j->z->conf->name, j->serial, j->peer);
		return 1;
	case STORE_SINCE_WINDOW:
		j->whole = "its serial is not between the zone's last "
		    "configuration change and the current one";
		break;
	case STORE_SINCE_GONE:
		j->whole = "the journal no longer reaches back to its serial";
		break;
	case STORE_SINCE_CHANGES:
		return 2;
	default:
		break;	/* since_cb said why */
	}
	return 0;
}

/*
 * The records of the zone but the closing SOA, from the lists in the
 * store's snapshot (src NULL), or from the copies src[k] (nsrc[k] of
 * them) of the lists in zone_ids order; out to the messages, or to
 * j->col. 0, or -1 with j->err.
 */
static int
zone_gen(struct job *j, struct store_entry *const *src, const size_t *nsrc)
{
	const struct zone *z = j->z;
	const struct conf_zone *cz = z->conf;
	store_walk_fn *cbs[2 + ZONE_LISTS_MAX];
	void *args[2 + ZONE_LISTS_MAX];
	unsigned ids[2 + ZONE_LISTS_MAX];
	size_t role[2 + ZONE_LISTS_MAX];
	struct xfrlists_list exc;
	size_t n, i, k;
	char errbuf[512];
	int several;

	/*
	 * One address list streams from the store through ipmerge and
	 * xfrmap; several, and domain lists, are copied first and merged
	 * in memory (xfrlists.h).
	 */
	several = cz->type == ZONE_RHSBL || z->nlists > 1;
	n = zone_ids(z, ids, role);
	if (cz->type == ZONE_DNSBL && !several)
		j->merge = ipmerge_new(merge_emit, j);
	for (k = 0; k < n; k++) {
		if (role[k] < 2) {
			cbs[k] = role[k] == 0 ? white_cb : exempt_cb;
			args[k] = j;
			continue;
		}
		i = role[k] - 2;
		j->copy[i].j = j;
		cbs[k] = several ? copy_cb : list_cb;
		args[k] = several ? (void *)&j->copy[i] : (void *)j;
	}
	if (src == NULL && store_walk_snapshot(j->x->store, ids, n, cbs, args,
	    cz->name, &j->serial, NULL, errbuf, sizeof(errbuf)) != STORE_OK) {
		snprintf(j->err, sizeof(j->err), "store: %s", errbuf);
		return -1;
	}
	/* the copies, as the store's walk would give them */
	for (k = 0; src != NULL && k < n; k++)
		for (i = 0; i < nsrc[k]; i++)
			if (cbs[k](args[k], &src[k][i]) != 0)
				break;
	for (i = 0; i < z->nlists; i++) {
		j->lists[i].v = j->copy[i].v;
		j->lists[i].n = j->copy[i].n;
	}
	if (j->merge != NULL && !j->failed && white_upto(j, NULL) == 0 &&
	    ipmerge_end(j->merge) != 0)
		j->failed = 1;
	if (several && !j->failed && cz->type == ZONE_RHSBL &&
	    xfrlists_names(j->lists, z->nlists, name_emit, j) != 0)
		j->failed = 1;
	if (several && !j->failed && cz->type != ZONE_RHSBL) {
		if (cz->type == ZONE_DNSBL)
			exceptions(j);
		exc.v = j->white;
		exc.n = j->nwhite;
		if (xfrlists_addr(j->lists, z->nlists, cz->type == ZONE_DNSBL ?
		    &exc : NULL, lists_emit, j) != 0)
			j->failed = 1;
	}
	if (!j->failed && cz->type != ZONE_RHSBL && (to_map(j, NULL) != 0 ||
	    xfrmap_end(j->map) != 0))
		j->failed = 1;
	if (!j->failed && zone_begin(j) == -1)
		j->failed = 1;
	if (j->failed && j->err[0] == '\0')
		snprintf(j->err, sizeof(j->err), "the lists are not in "
		    "store order");
	return j->failed ? -1 : 0;
}

/* Free what zone_gen made. */
static void
gen_free(struct job *j)
{
	size_t i;

	xfrmap_free(j->map);
	ipmerge_free(j->merge);
	entries_free(j->white, j->nwhite);
	entries_free(j->exempt, j->nexempt);
	for (i = 0; i < ZONE_LISTS_MAX; i++)
		entries_free(j->copy[i].v, j->copy[i].n);
}

/*
 * The records of the view src (copies of the lists in zone_ids order)
 * of the changed regions, into a set. NULL with j->err on an error.
 */
static struct xfrdiff_set *
view_records(struct job *j, struct store_entry *const *src,
    const size_t *nsrc)
{
	struct job *v;
	struct xfrdiff_set *set;

	v = xcalloc(1, sizeof(*v));
	v->x = j->x;
	v->z = j->z;
	v->now = j->now;
	v->serial = j->serial;
	v->col = set = xfrdiff_new(j->region,
	    j->z->conf->type == ZONE_RHSBL);
	test_points(v);
	v->map = xfrmap_new(map_emit, v);
	if (zone_gen(v, src, nsrc) == -1) {
		snprintf(j->err, sizeof(j->err), "%s", v->err);
		xfrdiff_free(set);
		set = NULL;
	}
	gen_free(v);
	free(v);
	return set;
}

/* A record of the difference, after the SOAs it goes between. */
static int
diff_emit(void *arg, int del, const uint8_t *name, size_t nlen,
    uint16_t type, uint32_t ttl, const uint8_t *rd, size_t rdlen)
{
	struct job *j = arg;

	if (!del && !j->phase) {
		j->phase = 1;
		if (add_soa(j) == -1)
			return -1;
	}
	if (del)
		j->ndel++;
	else
		j->nadd++;
	return rr_add(j, name, nlen, type, ttl, rd, rdlen) == -1 ? -1 : 0;
}

/*
 * The increment (RFC 1995 section 4, one difference sequence): SOA(new),
 * SOA(old), the deleted records, SOA(new), the added ones, SOA(new).
 * The views are the changed regions' entries now (j->nv) and with the
 * changes' old values put back; both go through the AXFR's pipeline,
 * their records kept when in a changed region, and are compared.
 * 0, or -1 with j->err.
 */
static int
increment(struct job *j)
{
	struct store_entry *ov[2 + ZONE_LISTS_MAX];
	size_t on[2 + ZONE_LISTS_MAX], role[2 + ZONE_LISTS_MAX];
	unsigned ids[2 + ZONE_LISTS_MAX];
	struct xfrdiff_set *os = NULL, *ns = NULL;
	uint32_t serial = j->serial;
	size_t n, k;
	int r = -1;

	chg_oldest(j);
	n = zone_ids(j->z, ids, role);
	memset(ov, 0, sizeof(ov));
	memset(on, 0, sizeof(on));
	for (k = 0; k < n; k++)
		view_old(j, ids[k], j->nv[k], j->nn[k], &ov[k], &on[k]);
	if ((ns = view_records(j, j->nv, j->nn)) == NULL ||
	    (os = view_records(j, ov, on)) == NULL)
		goto out;
	if (add_soa(j) == -1)
		goto out;
	j->serial = j->from;
	r = add_soa(j);
	j->serial = serial;
	if (r == -1 || xfrdiff_diff(os, ns, diff_emit, j) != 0 ||
	    (!j->phase && add_soa(j) == -1) || add_soa(j) == -1 ||
	    msg_send(j) == -1)
		r = -1;
out:
	for (k = 0; k < n; k++)
		entries_free(ov[k], on[k]);
	xfrdiff_free(os);
	xfrdiff_free(ns);
	if (r == -1 && j->err[0] == '\0')
		snprintf(j->err, sizeof(j->err), "cannot write the increment");
	return r;
}

static void *
job_run(void *arg)
{
	struct job *j = arg;
	const struct conf_zone *cz = j->z->conf;
	struct timespec t0, t1;
	struct timeval tv = { XFR_SNDTIMEO, 0 };
	size_t i;
	int fl, inc = 0;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	if ((fl = fcntl(j->fd, F_GETFL)) != -1)
		(void)fcntl(j->fd, F_SETFL, fl & ~O_NONBLOCK);
	(void)setsockopt(j->fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	j->now = time(NULL);
	test_points(j);
	j->map = xfrmap_new(map_emit, j);
	msg_begin(j);
	if (j->qtype == 251) {
		if ((fl = ixfr(j)) == -1)
			goto end;
		if (fl == 1)
			goto done;
		if (fl == 2) {
			inc = 1;
			(void)increment(j);	/* an error is in j->err */
			goto end;
		}
		log_info("xfr: IXFR of zone %s from serial %u to %s: the "
		    "whole zone: %s", cz->name, j->from, j->peer, j->whole);
	}
	if (zone_gen(j, NULL, NULL) == 0 && (add_soa(j) == -1 ||
	    msg_send(j) == -1))
		j->failed = 1;
end:
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (j->err[0] != '\0' && j->x->stop)	/* routine, not a failure */
		log_info("xfr: %s of zone %s to %s ended by a reload or the "
		    "end", j->qtype == 251 ? "IXFR" : "AXFR", cz->name,
		    j->peer);
	else if (j->err[0] != '\0')
		log_warnx("xfr: %s of zone %s to %s failed: %s",
		    j->qtype == 251 ? "IXFR" : "AXFR", cz->name, j->peer,
		    j->err);
	else if (inc)
		log_info("xfr: IXFR of zone %s serial %u->%u to %s: %llu "
		    "deleted, %llu added, %llu messages, %llu bytes, %lld ms",
		    cz->name, j->from, j->serial, j->peer,
		    (unsigned long long)j->ndel, (unsigned long long)j->nadd,
		    (unsigned long long)j->messages,
		    (unsigned long long)j->bytes,
		    (long long)(t1.tv_sec - t0.tv_sec) * 1000 +
		    (t1.tv_nsec - t0.tv_nsec) / 1000000);
	else
		log_info("xfr: %s of zone %s serial %u to %s: %llu records, "
		    "%llu messages, %llu bytes, %lld ms",
		    j->qtype == 251 ? "IXFR (whole zone)" : "AXFR", cz->name,
		    j->serial, j->peer, (unsigned long long)j->records,
		    (unsigned long long)j->messages,
		    (unsigned long long)j->bytes,
		    (long long)(t1.tv_sec - t0.tv_sec) * 1000 +
		    (t1.tv_nsec - t0.tv_nsec) / 1000000);
done:
	gen_free(j);
	for (i = 0; i < j->nchg; i++)
		free((char *)(uintptr_t)j->chg[i].e.reason);
	free(j->chg);
	for (i = 0; i < 2 + ZONE_LISTS_MAX; i++)
		entries_free(j->nv[i], j->nn[i]);
	(void)shutdown(j->fd, SHUT_WR);
	(void)close(j->fd);
	pthread_mutex_lock(&j->x->mtx);
	j->done = 1;
	pthread_mutex_unlock(&j->x->mtx);
	return NULL;
}

/* Join the threads that have ended (all of them: wait for them). */
static void
reap(struct xfr *x, int all)
{
	struct job **jp = &x->jobs, *j;
	int done;

	while ((j = *jp) != NULL) {
		pthread_mutex_lock(&x->mtx);
		done = j->done;
		pthread_mutex_unlock(&x->mtx);
		if (!done && !all) {
			jp = &j->next;
			continue;
		}
		pthread_join(j->th, NULL);
		*jp = j->next;
		x->running--;
		free(j);
	}
}

struct xfr *
xfr_new(struct event_base *base)
{
	struct xfr *x;

	x = xcalloc(1, sizeof(*x));
	x->base = base;
	x->nfd[0] = x->nfd[1] = -1;
	pthread_mutex_init(&x->mtx, NULL);
	return x;
}

void
xfr_configure(struct xfr *x, struct store *st)
{
	x->store = st;
}

void
xfr_stop(struct xfr *x)
{
	if (x->jobs == NULL)
		return;
	x->stop = 1;
	reap(x, 1);
	x->stop = 0;
}

void
xfr_free(struct xfr *x)
{
	struct pending *p;
	int i;

	if (x == NULL)
		return;
	xfr_stop(x);
	for (i = 0; i < 2; i++) {
		if (x->nev[i] != NULL)
			event_free(x->nev[i]);
		if (x->nfd[i] != -1)
			(void)close(x->nfd[i]);
	}
	while ((p = x->pend) != NULL) {
		x->pend = p->next;
		pending_free(p);
	}
	free(x->told);
	pthread_mutex_destroy(&x->mtx);
	free(x);
}

void
xfr_counts(const struct xfr *x, uint64_t *started, unsigned *running)
{
	*started = x->started;
	*running = x->running;
}

/* An answer with rcode alone, signed when the query was (t). */
static size_t
refuse(const struct answer_query *aq, struct tsig *t, uint8_t *buf,
    size_t cap, int rcode)
{
	struct resp r;
	size_t n;

	resp_init(&r, buf, cap, 65535, &aq->q, rcode, 0, 0);
	n = resp_finish(&r);
	if (t != NULL)
		n = tsig_sign(t, buf, n, cap, time(NULL));
	return n;
}

int
xfr_start(struct xfr *x, const struct answer_query *aq, struct tsig *t,
    const struct addr *peer, int fd, uint8_t *buf, size_t cap, size_t *len)
{
	const struct zone *z = aq->z;
	const struct conf_zone *cz = z->conf;
	const struct conf_key *key = t != NULL ? t->key : NULL;
	char ip[ADDR_STRLEN];
	struct job *j;
	int dfd, allowed;

	reap(x, 0);
	addr_format(peer, ip, sizeof(ip));
	allowed = conf_acl_allows(cz->allow_transfer, cz->nallow_transfer,
	    peer, key);
	/*
	 * A helo zone judges each name as it is asked (patterns, the name's
	 * own DNS); there is no data to hand a secondary (doc/design.md).
	 */
	if (!allowed || cz->type == ZONE_HELO || x->store == NULL) {
		verbose(VERB_OPS, "xfr: %s of zone %s from %s%s%s refused%s",
		    aq->q.qtype == 251 ? "IXFR" : "AXFR", cz->name, ip,
		    key != NULL ? " with key " : "",
		    key != NULL ? key->name : "", !allowed ?
		    " (allow-transfer)" : cz->type == ZONE_HELO ?
		    " (a helo zone: its answers are computed per query)" :
		    " (no store)");
		*len = refuse(aq, t, buf, cap, RCODE_REFUSED);
		return 0;
	}
	if (x->running >= XFR_MAX || (dfd = dup(fd)) == -1) {
		log_warnx("xfr: %s of zone %s from %s: %s", aq->q.qtype == 251 ?
		    "IXFR" : "AXFR", cz->name, ip, x->running >= XFR_MAX ?
		    "too many transfers at once" : strerror(errno));
		*len = refuse(aq, t, buf, cap, RCODE_SERVFAIL);
		return 0;
	}
	j = xcalloc(1, sizeof(*j));
	j->x = x;
	j->fd = dfd;
	j->z = z;
	memcpy(j->peer, ip, sizeof(j->peer));
	j->id = aq->q.id;
	j->qtype = aq->q.qtype;
	j->has_from = aq->q.has_soa;
	j->from = aq->q.soa_serial;
	memcpy(j->qname, aq->q.qname, aq->q.qname_len);
	j->qname_len = aq->q.qname_len;
	if (t != NULL) {
		j->sign = 1;
		j->tsig = *t;
	}
	if (pthread_create(&j->th, NULL, job_run, j) != 0) {
		log_warnx("xfr: cannot start a thread for zone %s", cz->name);
		(void)close(dfd);
		free(j);
		*len = refuse(aq, t, buf, cap, RCODE_SERVFAIL);
		return 0;
	}
	j->next = x->jobs;
	x->jobs = j;
	x->running++;
	x->started++;
	return 1;
}

/* --- NOTIFY (RFC 1996) ------------------------------------------------ */

#define NOTIFY_TRIES	5	/* sends of one NOTIFY, 1 s apart, doubling */

static double
ts_diff(const struct timespec *a, const struct timespec *b)
{
	return (double)(a->tv_sec - b->tv_sec) +
	    (double)(a->tv_nsec - b->tv_nsec) / 1e9;
}

/* An answer to a NOTIFY: the one pending with its id and source goes. */
static void
on_notify_reply(evutil_socket_t fd, short what, void *arg)
{
	struct xfr *x = arg;
	struct pending **pp, *p;
	struct sockaddr_storage ss;
	socklen_t sl;
	uint8_t buf[1024];
	ssize_t n;
	uint16_t id;
	int rc;

	(void)what;
	for (;;) {
		sl = sizeof(ss);
		n = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&ss,
		    &sl);
		if (n == -1)
			return;
		if (n < WIRE_HDRLEN || !(buf[2] & 0x80) ||
		    ((buf[2] >> 3) & 0xf) != 4)
			continue;
		id = (uint16_t)(buf[0] << 8 | buf[1]);
		for (pp = &x->pend; (p = *pp) != NULL; pp = &p->next) {
			if (p->id != id || p->sslen != sl ||
			    memcmp(&p->ss, &ss, sl) != 0)
				continue;
			if (p->sign && (rc = tsig_verify_answer(&p->tsig, buf,
			    (size_t)n, time(NULL))) != TSIG_OK &&
			    (buf[3] & 0xf) != RCODE_NOTAUTH) {
				/* not the secondary's word: wait for it */
				log_warnx("xfr: the answer of %s to the NOTIFY "
				    "of zone %s is not signed with key %s%s%s",
				    p->target, p->zone, p->tsig.key->name,
				    rc == TSIG_ERROR ? ": " : "",
				    rc == TSIG_ERROR ?
				    tsig_error_name(p->tsig.error) : "");
				break;
			}
			if (p->sign && (buf[3] & 0xf) == RCODE_NOTAUTH) {
				log_warnx("xfr: %s refused the NOTIFY of zone "
				    "%s signed with key %s (NOTAUTH)",
				    p->target, p->zone, p->tsig.key->name);
				*pp = p->next;
				pending_free(p);
				break;
			}
			verbose(VERB_DETAIL, "xfr: NOTIFY of zone %s to %s "
			    "answered (rcode %d)", p->zone, p->target,
			    buf[3] & 0xf);
			*pp = p->next;
			pending_free(p);
			break;
		}
	}
}

static int
notify_socket(struct xfr *x, int v6)
{
	if (x->nfd[v6] != -1)
		return x->nfd[v6];
	x->nfd[v6] = socket(v6 ? AF_INET6 : AF_INET, SOCK_DGRAM |
	    SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (x->nfd[v6] == -1) {
		log_warn("xfr: NOTIFY socket");
		return -1;
	}
	x->nev[v6] = event_new(x->base, x->nfd[v6], EV_READ | EV_PERSIST,
	    on_notify_reply, x);
	if (x->nev[v6] == NULL || event_add(x->nev[v6], NULL) == -1)
		log_warnx("xfr: cannot watch the NOTIFY socket");
	return x->nfd[v6];
}

static void
notify_send(struct xfr *x, struct pending *p)
{
	int fd = notify_socket(x, p->ss.ss_family == AF_INET6);

	x->notifies++;
	p->tries++;
	if (fd == -1 || sendto(fd, p->msg, p->len, 0,
	    (struct sockaddr *)&p->ss, p->sslen) == -1)
		verbose(VERB_OPS, "xfr: NOTIFY of zone %s to %s: %s", p->zone,
		    p->target, fd == -1 ? "no socket" : strerror(errno));
}

/* A NOTIFY of zone z (its serial) to target t, replacing an older one. */
static void
notify_new(struct xfr *x, const struct zone *z, const struct conf_listen *t,
    const struct timespec *now)
{
	struct pending **pp, *p;
	uint8_t *m;

	for (pp = &x->pend; (p = *pp) != NULL; pp = &p->next)
		if (strcmp(p->zone, z->conf->name) == 0 &&
		    strcmp(p->target, t->text) == 0) {
			*pp = p->next;
			pending_free(p);
			break;
		}
	p = xcalloc(1, sizeof(*p));
	str_copy(p->zone, z->conf->name, sizeof(p->zone));
	str_copy(p->target, t->text, sizeof(p->target));
	memcpy(&p->ss, &t->ss, t->sslen);
	p->sslen = t->sslen;
	if (getrandom(&p->id, sizeof(p->id), 0) != sizeof(p->id))
		p->id = (uint16_t)now->tv_nsec;
	m = p->msg;
	put16(m, p->id);
	m[2] = 0x24;			/* opcode NOTIFY, AA */
	put16(m + 4, 1);
	put16(m + 6, 1);
	memcpy(m + WIRE_HDRLEN, z->apex, z->apex_len);
	p->len = WIRE_HDRLEN + z->apex_len;
	put16(m + p->len, TYPE_SOA);
	put16(m + p->len + 2, 1);
	p->len += 4;
	put16(m + p->len, 0xc000 | WIRE_HDRLEN);
	put16(m + p->len + 2, TYPE_SOA);
	put16(m + p->len + 4, 1);
	wire_put32(m + p->len + 6, z->conf->negative_ttl);
	put16(m + p->len + 10, (uint16_t)z->soa_len);
	memcpy(m + p->len + 12, z->soa_rdata, z->soa_len);
	p->len += 12 + z->soa_len;
	if (t->key != NULL) {
		/* signed once: the retries go out within the fudge */
		p->key.name = xstrdup(t->key->name);
		p->key.algorithm = t->key->algorithm;
		p->key.raw = xmalloc(t->key->raw_len);
		memcpy(p->key.raw, t->key->raw, t->key->raw_len);
		p->key.raw_len = t->key->raw_len;
		tsig_request(&p->tsig, &p->key);
		p->len = tsig_sign(&p->tsig, p->msg, p->len, sizeof(p->msg),
		    time(NULL));
		p->sign = 1;
		if (p->len == 0) {
			log_warnx("xfr: cannot sign the NOTIFY of zone %s to "
			    "%s with key %s", p->zone, p->target,
			    t->key->name);
			pending_free(p);
			return;
		}
	}
	p->due = *now;
	p->next = x->pend;
	x->pend = p;
	verbose(VERB_DETAIL, "xfr: NOTIFY of zone %s serial %u to %s",
	    p->zone, z->serial, p->target);
	notify_send(x, p);
	p->due.tv_sec += 1;
}

void
xfr_notify(struct xfr *x, const struct zoneset *zs, uint32_t interval)
{
	struct pending **pp, *p;
	struct timespec now;
	struct told *t;
	size_t i, k;

	clock_gettime(CLOCK_MONOTONIC, &now);
	for (i = 0; i < zs->n; i++) {
		const struct zone *z = &zs->v[i];

		if (z->conf->nnotify == 0)
			continue;
		for (k = 0; k < x->ntold; k++)
			if (strcmp(x->told[k].zone, z->conf->name) == 0)
				break;
		if (k == x->ntold) {
			x->told = xreallocarray(x->told, x->ntold + 1,
			    sizeof(*x->told));
			t = &x->told[x->ntold++];
			memset(t, 0, sizeof(*t));
			str_copy(t->zone, z->conf->name, sizeof(t->zone));
			t->serial = z->serial - 1;	/* never told */
			t->at.tv_sec = now.tv_sec - interval - 1;
		}
		t = &x->told[k];
		if (t->serial == z->serial ||
		    ts_diff(&now, &t->at) < (double)interval)
			continue;
		t->serial = z->serial;
		t->at = now;
		for (k = 0; k < z->conf->nnotify; k++)
			notify_new(x, z, &z->conf->notify[k], &now);
	}
	for (pp = &x->pend; (p = *pp) != NULL; ) {
		if (ts_diff(&now, &p->due) < 0) {
			pp = &p->next;
			continue;
		}
		if (p->tries >= NOTIFY_TRIES) {
			log_warnx("xfr: no answer to the NOTIFY of zone %s "
			    "from %s after %d tries", p->zone, p->target,
			    p->tries);
			*pp = p->next;
			pending_free(p);
			continue;
		}
		notify_send(x, p);
		p->due = now;
		p->due.tv_sec += 1 << (p->tries - 1);
		pp = &p->next;
	}
}
