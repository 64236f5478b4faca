/* Fault injection for the simulator: the --faults spec parser (syntax in
 * sim_aws.h) and the per-family rate limits, throttling and 5xx. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "latticectl/error.h"
#include "latticectl/rand.h"
#include "latticectl/xmalloc.h"

#include "aws_int.h"

#define FAULTS_FIELDS	"throttle, error, latency, watchdrop, rate"
#define FAULTS_FAMILIES	"lattice, ec2, iam, sts, eks, tagging, kube, all"

/* Parse a plain non-negative number that fills the whole string. */
static int
faults_number(const char *s, double *out)
{
	char	*end;

	if (*s == '\0' || *s == '-' || *s == '+')
		return -1;
	errno = 0;
	*out = strtod(s, &end);
	if (errno != 0 || *end != '\0' || !isfinite(*out) || *out < 0)
		return -1;
	return 0;
}

/* Parse a duration into unit_ms units by default; *ms gets milliseconds. */
static int
faults_duration(const char *s, double bare_ms, double *ms)
{
	char	 num[64];
	size_t	 n;
	double	 mult = bare_ms, v;

	n = strspn(s, "0123456789.");
	if (n == 0 || n >= sizeof num)
		return -1;
	memcpy(num, s, n);
	num[n] = '\0';
	if (strcmp(s + n, "ms") == 0)
		mult = 1;
	else if (strcmp(s + n, "s") == 0)
		mult = 1000;
	else if (strcmp(s + n, "m") == 0)
		mult = 60000;
	else if (s[n] != '\0')
		return -1;
	if (faults_number(num, &v) != 0 || v * mult > 86400000.0)
		return -1;
	*ms = v * mult;
	return 0;
}

/* Split "[FAMILY:]VALUE": family index (-1 = all) and the value. */
static int
faults_family(const char *field, const char *val, int *family,
    const char **rest, char **cause)
{
	const char	*colon;
	char		 name[32];
	size_t		 n;

	*family = -1;
	*rest = val;
	if ((colon = strchr(val, ':')) == NULL)
		return 0;
	n = (size_t)(colon - val);
	if (n >= sizeof name)
		n = sizeof name - 1;
	memcpy(name, val, n);
	name[n] = '\0';
	*rest = colon + 1;
	if (strcmp(name, "all") == 0)
		return 0;
	if ((*family = sim_family_parse(name)) < 0)
		return error_set(cause, "faults: %s: unknown API family '%s' "
		    "(expected " FAULTS_FAMILIES ")", field, name);
	return 0;
}

/* Set v in every family or just one. */
static void
faults_set_family(double *arr, int family, double v)
{
	int	i;

	for (i = 0; i < SIM_FAMILY_MAX; i++) {
		if (family < 0 || family == i)
			arr[i] = v;
	}
}

/* Apply one FIELD=VALUE item. */
static int
faults_item(const char *field, const char *val, struct sim_faults *f,
    double *rate, char **cause)
{
	const char	*rest;
	int		 fam;
	double		 v;

	if (strcmp(field, "throttle") == 0 || strcmp(field, "rate") == 0) {
		if (faults_family(field, val, &fam, &rest, cause) != 0)
			return -1;
		if (faults_number(rest, &v) != 0 ||
		    (field[0] == 't' && v > 1))
			return error_set(cause, "faults: %s: '%s' is not %s",
			    field, rest, field[0] == 't' ? "a fraction in "
			    "[0,1]" : "a rate in requests per second");
		faults_set_family(field[0] == 't' ? f->throttle_rate : rate,
		    fam, v);
	} else if (strcmp(field, "error") == 0) {
		if (faults_number(val, &v) != 0 || v > 1)
			return error_set(cause, "faults: error: '%s' is not a "
			    "fraction in [0,1]", val);
		f->error_rate = v;
	} else if (strcmp(field, "latency") == 0) {
		if (faults_duration(val, 1, &v) != 0)
			return error_set(cause, "faults: latency: '%s' is not a "
			    "duration (e.g. 50ms, 2s)", val);
		f->latency_ms = (unsigned)v;
	} else if (strcmp(field, "watchdrop") == 0) {
		if (faults_duration(val, 1000, &v) != 0)
			return error_set(cause, "faults: watchdrop: '%s' is not "
			    "a duration (e.g. 10s, 1m)", val);
		f->watch_drop_s = (unsigned)(v / 1000);
		if (v > 0 && f->watch_drop_s == 0)
			f->watch_drop_s = 1;
	} else
		return error_set(cause, "faults: unknown field '%s' (expected "
		    FAULTS_FIELDS ")", field);
	return 0;
}

/* Parse a --faults spec. */
int
sim_faults_parse(const char *spec, struct sim_faults *f,
    double rate[SIM_FAMILY_MAX], char **cause)
{
	char	*copy, *item, *save = NULL, *eq;
	int	 rc = 0;

	memset(f, 0, sizeof *f);
	memset(rate, 0, SIM_FAMILY_MAX * sizeof *rate);
	if (spec == NULL)
		return 0;
	copy = xstrdup(spec);
	for (item = strtok_r(copy, ",", &save); item != NULL && rc == 0;
	    item = strtok_r(NULL, ",", &save)) {
		while (*item == ' ')
			item++;
		if (*item == '\0')
			continue;
		if ((eq = strchr(item, '=')) == NULL) {
			rc = error_set(cause, "faults: '%s' is not FIELD=VALUE "
			    "(fields: " FAULTS_FIELDS ")", item);
			break;
		}
		*eq = '\0';
		rc = faults_item(item, eq + 1, f, rate, cause);
	}
	free(copy);
	return rc;
}

/* A uniform double in [0, 1). */
static double
faults_unit(void)
{
	return (double)(rand_u64() >> 11) / 9007199254740992.0;
}

/* Rate limit, throttling and 5xx faults (lock held). */
int
aws_faults_apply(struct sim_aws_call *call)
{
	struct sim_aws		*sim = call->sim;
	const struct sim_faults	*f = &sim->opts.faults;
	int			 fam = call->svc->family;

	if (fam < 0 || fam >= SIM_FAMILY_MAX)
		fam = 0;
	if (!tbucket_try(&sim->buckets[fam]) ||
	    (f->throttle_rate[fam] > 0 &&
	    faults_unit() < f->throttle_rate[fam])) {
		sim->stats.throttled++;
		sim_aws_throttle(call);
		return -1;
	}
	if (f->error_rate > 0 && faults_unit() < f->error_rate) {
		sim->stats.injected_errors++;
		aws_internal_error(call);
		return -1;
	}
	return 0;
}
