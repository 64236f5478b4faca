/*
 * Fuzz the simulator's EC2, IAM, STS and EKS request handling and the EKS
 * token verifier, on a fresh seeded simulator per input.
 *
 * Input: up to 8 requests separated by "\n--\n". Each is a first line
 * "SERVICE METHOD TARGET" then the body. SERVICE ec2, iam, sts or eks is
 * signed with the seeded key (so it reaches the handler); "raw" is sent
 * unsigned (STS AssumeRoleWithWebIdentity); "token" verifies the body as
 * an EKS token for the cluster named by TARGET ("*": any). In TARGET and
 * body, {vpc}, {subnet}, {sg} and {pl} become the last such id an answer
 * carried, so sequences reach deep (rules on real groups, ...).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "latticectl/sigv4.h"
#include "latticectl/strbuf.h"
#include "latticectl/xmalloc.h"
#include "../../src/sim/sim_aws.h"
#include "../../src/sim/sim_aws_lab.h"

#define FZ_MAX_REQS	8
#define FZ_NKEYS	4

static const char *const fz_keys[FZ_NKEYS][2] = {
	{ "{vpc}", "<vpcId>" }, { "{subnet}", "<subnetId>" },
	{ "{sg}", "<groupId>" }, { "{pl}", "<prefixListId>" },
};

struct fz {
	struct sim_aws	*sim;
	char		 ids[FZ_NKEYS][64];
};

/* Replace the {keys} in len bytes of s (caller frees). */
static char *
fz_subst(const struct fz *z, const char *s, size_t len)
{
	struct strbuf	sb = STRBUF_INIT;
	size_t		i, k, n;

	for (i = 0; i < len; i++) {
		for (k = 0; k < FZ_NKEYS; k++) {
			n = strlen(fz_keys[k][0]);
			if (len - i >= n && memcmp(s + i, fz_keys[k][0],
			    n) == 0)
				break;
		}
		if (k < FZ_NKEYS) {
			strbuf_adds(&sb, z->ids[k]);
			i += strlen(fz_keys[k][0]) - 1;
		} else
			strbuf_addc(&sb, s[i]);
	}
	strbuf_addc(&sb, '\0');
	sb.len--;
	return strbuf_detach(&sb, NULL);
}

/* Remember the first id of each kind an answer carries. */
static void
fz_remember(struct fz *z, const char *body)
{
	const char	*p;
	size_t		 k, n;

	for (k = 0; k < FZ_NKEYS; k++) {
		if ((p = strstr(body, fz_keys[k][1])) == NULL)
			continue;
		p += strlen(fz_keys[k][1]);
		n = strcspn(p, "<");
		if (n < sizeof z->ids[k])
			snprintf(z->ids[k], sizeof z->ids[k], "%.*s", (int)n,
			    p);
	}
}

/* Send one request (signed unless raw). */
static void
fz_send(struct fz *z, const char *svc, const char *method, char *target,
    const char *body)
{
	struct sigv4_params	 p;
	struct sigv4_request	 r;
	struct http_headers	 h = { NULL, 0, 0 };
	struct httpd_request	 req;
	struct httpd_response	 resp;
	char			*q, *cause = NULL;

	q = strchr(target, '?');
	if (q != NULL)
		*q++ = '\0';
	http_headers_add(&h, "Host", "127.0.0.1");
	http_headers_add(&h, "Content-Type", strcmp(svc, "eks") == 0 ?
	    "application/json" : "application/x-www-form-urlencoded");
	if (strcmp(svc, "raw") != 0) {
		memset(&p, 0, sizeof p);
		p.access_key = SIM_ACCESS_KEY;
		p.secret_key = SIM_SECRET_KEY;
		p.region = strcmp(svc, "iam") == 0 ? "us-east-1" : SIM_REGION;
		p.service = svc;
		p.now = (time_t)(sim_aws_now_ms(z->sim) / 1000);
		memset(&r, 0, sizeof r);
		r.method = method;
		r.path = target;
		r.query = q;
		r.headers = &h;
		r.payload = body;
		r.payload_len = strlen(body);
		if (sigv4_sign(&p, &r, &cause) != 0)
			free(cause);
	}
	memset(&req, 0, sizeof req);
	memset(&resp, 0, sizeof resp);
	req.method = method;
	req.path = req.raw_path = target;
	req.query = q != NULL ? q : "";
	req.headers = h;
	req.body = body;
	req.body_len = strlen(body);
	req.remote = "fuzz";
	sim_aws_handle(z->sim, &req, &resp);
	if (resp.status < 200 || resp.status > 599)
		abort();
	fz_remember(z, strbuf_str(&resp.body));
	http_headers_free(&h);
	http_headers_free(&resp.headers);
	strbuf_free(&resp.body);
}

/* Run one "SERVICE METHOD TARGET\nBODY" request. */
static void
fz_one(struct fz *z, const char *s, size_t len)
{
	char	*text, *nl, svc[8], method[8], *target, *arn = NULL;
	char	*cause = NULL;
	int	 used = 0;

	text = fz_subst(z, s, len);
	nl = strchr(text, '\n');
	if (nl != NULL)
		*nl = '\0';
	if (sscanf(text, "%7s %7s %n", svc, method, &used) < 2 || used == 0) {
		free(text);
		return;
	}
	target = text + used;
	if (strcmp(svc, "token") == 0) {
		if (sim_aws_verify_eks_token(z->sim, nl != NULL ? nl + 1 : "",
		    strcmp(target, "*") == 0 ? NULL : target, &arn, &cause) == 0
		    && arn == NULL)
			abort();
		free(arn);
		free(cause);
	} else if (*target == '/')
		fz_send(z, svc, method, target, nl != NULL ? nl + 1 : "");
	free(text);
}

/* One input. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz	 z;
	const char	*p = (const char *)data, *end = p + size, *sep;
	int		 n = 0;

	memset(&z, 0, sizeof z);
	z.sim = sim_aws_new(NULL);
	sim_aws_seed_lab(z.sim);
	sim_aws_eks_set_delays(z.sim, 0, 0);
	while (p < end && n++ < FZ_MAX_REQS) {
		sep = memmem(p, (size_t)(end - p), "\n--\n", 4);
		if (sep == NULL)
			sep = end;
		fz_one(&z, p, (size_t)(sep - p));
		p = sep == end ? end : sep + 4;
	}
	sim_aws_free(z.sim);
	return 0;
}
