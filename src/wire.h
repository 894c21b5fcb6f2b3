/* SPDX-License-Identifier: ISC */
/*
 * wire.h -- DNS messages (RFC 1035, EDNS0 RFC 6891): parse a query,
 * build an answer in place in a caller's buffer, without allocation.
 * Pure: no sockets, no logging.
 */
#ifndef WIRE_H
#define WIRE_H

#include <stddef.h>
#include <stdint.h>

#define WIRE_HDRLEN	12
#define WIRE_MAXNAME	255
#define WIRE_MAXLABELS	128
#define WIRE_UDPMIN	512

#define TYPE_A		1
#define TYPE_NS		2
#define TYPE_SOA	6
#define TYPE_PTR	12
#define TYPE_TXT	16
#define TYPE_AAAA	28
#define TYPE_OPT	41
#define TYPE_TSIG	250
#define TYPE_ANY	255
#define CLASS_IN	1
#define CLASS_ANY	255

#define RCODE_NOERROR	0
#define RCODE_FORMERR	1
#define RCODE_SERVFAIL	2
#define RCODE_NXDOMAIN	3
#define RCODE_NOTIMP	4
#define RCODE_REFUSED	5
#define RCODE_NOTAUTH	9
#define RCODE_BADVERS	16	/* extended: needs OPT */

#define OPCODE_QUERY	0

struct query {
	uint16_t	 id;
	uint16_t	 flags;		/* as received */
	uint8_t		 opcode;
	int		 has_question;	/* a question was parsed */
	uint8_t		 qname[WIRE_MAXNAME];	/* wire form, case kept */
	size_t		 qname_len;
	uint8_t		 qname_lc[WIRE_MAXNAME];	/* lower-cased copy */
	uint8_t		 label_off[WIRE_MAXLABELS];	/* label starts */
	int		 nlabels;	/* not counting the root */
	uint16_t	 qtype;
	uint16_t	 qclass;
	int		 edns;		/* an OPT record was present */
	uint16_t	 edns_size;	/* requester's UDP payload size */
	uint8_t		 edns_version;
	int		 edns_do;
	uint16_t	 tsig_off;	/* the TSIG record (last), or 0 */
	int		 has_soa;	/* an SOA in the authority (IXFR) */
	uint32_t	 soa_serial;	/* its serial: the requester's */
};

enum wire_parse_rc {
	WIRE_OK = 0,		/* a well-formed standard query */
	WIRE_DROP,		/* not worth an answer (too short, a response) */
	WIRE_FORMERR,		/* answer FORMERR */
	WIRE_NOTIMP,		/* an opcode other than QUERY */
	WIRE_BADVERS		/* EDNS version > 0 */
};

/*
 * Parse a query. On anything but WIRE_DROP, q holds the id, flags and
 * opcode, and the question when has_question is set, so that an error
 * answer can echo them.
 */
enum wire_parse_rc wire_parse_query(const uint8_t *pkt, size_t len,
		    struct query *q);

/* An answer under construction in a caller's buffer. */
struct resp {
	uint8_t		*buf;
	size_t		 cap;		/* buffer size */
	size_t		 limit;		/* max message size (UDP/EDNS) */
	size_t		 len;
	size_t		 qend;		/* end of the question section */
	uint16_t	 count[3];	/* answer, authority, additional */
	int		 edns;		/* add an OPT record at the end */
	uint16_t	 edns_size;	/* our advertised payload size */
	int		 truncated;
	int		 section;	/* current section, 0-2 */
	int		 rcode;		/* possibly extended */
};

#define SEC_ANSWER	0
#define SEC_AUTHORITY	1
#define SEC_ADDITIONAL	2

/*
 * Start an answer to q: header (id, opcode, RD copied; QR set), the
 * question if q has one, rcode (extended rcodes go into the OPT record),
 * aa. limit is the largest message the requester accepts; the OPT record
 * is added when the query had one (edns_size is what we advertise).
 */
void	resp_init(struct resp *, uint8_t *buf, size_t cap, size_t limit,
	    const struct query *q, int rcode, int aa, uint16_t edns_size);

/* Set the rcode (may be extended) after resp_init. */
void	resp_set_rcode(struct resp *, int rcode);

/* Move to a section; sections only move forward. */
void	resp_section(struct resp *, int section);

/*
 * Append one resource record. The owner is given as a compression pointer
 * target (an offset into the message, such as WIRE_HDRLEN for the qname).
 * rdata is the wire rdata (names in it uncompressed). When the record
 * does not fit under limit, the answer is truncated: every record is
 * removed, TC is set, and later appends do nothing. Returns 0, or -1 once
 * truncated.
 */
int	resp_add_rr(struct resp *, uint16_t owner_off, uint16_t type,
	    uint32_t ttl, const uint8_t *rdata, size_t rdlen);

/* Convenience forms. */
int	resp_add_a(struct resp *, uint16_t owner_off, uint32_t ttl,
	    uint32_t addr_host_order);
/* TXT: text split into strings of at most 255 bytes. */
int	resp_add_txt(struct resp *, uint16_t owner_off, uint32_t ttl,
	    const char *text, size_t len);

/*
 * TXT rdata of text (at most WIRE_TXT_MAX bytes of it): strings of at
 * most 255 bytes, into rd (WIRE_TXT_RDMAX bytes). Returns its length.
 */
#define WIRE_TXT_MAX	4096
#define WIRE_TXT_RDMAX	(WIRE_TXT_MAX + WIRE_TXT_MAX / 255 + 1)
size_t	wire_txt_rdata(const char *text, size_t len, uint8_t *rd);

/* Store a 32-bit value in network order at p. */
void	wire_put32(uint8_t *p, uint32_t v);

/* A 16-bit value in network order: read at p, or stored there. */
uint16_t wire_get16(const uint8_t *p);
void	wire_put16(uint8_t *p, uint16_t v);

/* Finish: counts, OPT record. Returns the message length. */
size_t	resp_finish(struct resp *);

/*
 * Cut a finished answer (resp_finish) down to its header, question and
 * OPT record, with TC set: what a UDP answer becomes when the whole of it
 * cannot be sent. Returns the new length, which is len when there was
 * nothing to cut, or 0 when buf[0..len) is no answer of resp_finish's.
 */
size_t	wire_truncate(uint8_t *buf, size_t len);

/*
 * Presentation form of a wire name, lower case kept as is, with escapes
 * for dots and non-printables in labels ("\046", "\255"); "." for root.
 * Returns buf.
 */
char	*wire_name_str(const uint8_t *name, size_t len, char *buf, size_t buflen);

/*
 * Wire form of a presentation name ("ns.example.net", final dot
 * optional). Returns the length, or 0 for a bad name.
 */
size_t	wire_name_from_str(const char *s, uint8_t *out, size_t outlen);

#endif /* WIRE_H */
