/* Time: RFC 3339 / ISO 8601 parsing and formatting, clocks, sleeping. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "latticectl/timeutil.h"

/* Read exactly n decimal digits at *pp into *out; advances *pp. */
static int
time_digits(const char **pp, int n, int *out)
{
	const char	*p = *pp;
	int		 v = 0, i;

	for (i = 0; i < n; i++) {
		if (p[i] < '0' || p[i] > '9')
			return -1;
		v = v * 10 + (p[i] - '0');
	}
	*pp = p + n;
	*out = v;
	return 0;
}

/* Consume one expected separator when extended; basic form has none. */
static int
time_sep(const char **pp, char c, int basic)
{
	if (basic)
		return 0;
	if (**pp != c)
		return -1;
	(*pp)++;
	return 0;
}

/* Number of days in month mon (1-12) of year. */
static int
time_mdays(int year, int mon)
{
	static const int	days[] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};
	int			leap;

	leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
	if (mon == 2 && leap)
		return 29;
	return days[mon - 1];
}

/* Parse the date and time fields (no fraction or zone) into tm. */
static int
time_parse_fields(const char **pp, struct tm *tm)
{
	const char	*p = *pp;
	int		 basic, y, mo, d, h, mi, s;

	if (time_digits(&p, 4, &y) != 0)
		return -1;
	basic = (*p != '-');
	if (time_sep(&p, '-', basic) != 0 || time_digits(&p, 2, &mo) != 0 ||
	    time_sep(&p, '-', basic) != 0 || time_digits(&p, 2, &d) != 0)
		return -1;
	if (*p != 'T' && *p != 't' && (basic || *p != ' '))
		return -1;
	p++;
	if (time_digits(&p, 2, &h) != 0 || time_sep(&p, ':', basic) != 0 ||
	    time_digits(&p, 2, &mi) != 0 || time_sep(&p, ':', basic) != 0 ||
	    time_digits(&p, 2, &s) != 0)
		return -1;
	if (mo < 1 || mo > 12 || d < 1 || d > time_mdays(y, mo) ||
	    h > 23 || mi > 59 || s > 60)
		return -1;
	memset(tm, 0, sizeof *tm);
	tm->tm_year = y - 1900;
	tm->tm_mon = mo - 1;
	tm->tm_mday = d;
	tm->tm_hour = h;
	tm->tm_min = mi;
	tm->tm_sec = s;
	*pp = p;
	return 0;
}

/* Parse an optional ".ddd" fraction (1 to 9 digits) into nanoseconds. */
static int
time_parse_frac(const char **pp, long *nsec)
{
	const char	*p = *pp;
	long		 ns = 0;
	int		 n = 0;

	*nsec = 0;
	if (*p != '.' && *p != ',')
		return 0;
	p++;
	while (*p >= '0' && *p <= '9') {
		if (++n > 9)
			return -1;
		ns = ns * 10 + (*p++ - '0');
	}
	if (n == 0)
		return -1;
	while (n++ < 9)
		ns *= 10;
	*nsec = ns;
	*pp = p;
	return 0;
}

/* Parse "Z" or "+HH:MM" / "+HHMM" / "-..." into seconds east of UTC. */
static int
time_parse_zone(const char **pp, long *off)
{
	const char	*p = *pp;
	int		 sign, h, m;

	if (*p == 'Z' || *p == 'z') {
		*off = 0;
		*pp = p + 1;
		return 0;
	}
	if (*p != '+' && *p != '-')
		return -1;
	sign = (*p == '-') ? -1 : 1;
	p++;
	if (time_digits(&p, 2, &h) != 0)
		return -1;
	if (*p == ':')
		p++;
	if (time_digits(&p, 2, &m) != 0 || h > 23 || m > 59)
		return -1;
	*off = sign * (h * 3600L + m * 60L);
	*pp = p;
	return 0;
}

/* Parse an RFC 3339 / ISO 8601 timestamp; the whole string must match. */
int
time_parse(const char *s, struct timespec *out)
{
	struct tm	 tm;
	const char	*p = s;
	long		 nsec, off;
	time_t		 t;

	if (s == NULL)
		return -1;
	if (time_parse_fields(&p, &tm) != 0 ||
	    time_parse_frac(&p, &nsec) != 0 ||
	    time_parse_zone(&p, &off) != 0 || *p != '\0')
		return -1;
	if ((t = timegm(&tm)) == (time_t)-1 && tm.tm_year != 69)
		return -1;
	out->tv_sec = t - off;
	out->tv_nsec = nsec;
	return 0;
}

/* Format as RFC 3339 in UTC with 0-9 fractional digits. */
void
time_format_rfc3339(const struct timespec *ts, int frac_digits, char *buf,
    size_t len)
{
	struct tm	tm;
	char		frac[16];
	long		ns;
	int		i;

	if (len == 0)
		return;
	if (frac_digits < 0)
		frac_digits = 0;
	if (frac_digits > 9)
		frac_digits = 9;
	if (gmtime_r(&ts->tv_sec, &tm) == NULL) {
		snprintf(buf, len, "invalid-time");
		return;
	}
	frac[0] = '\0';
	if (frac_digits > 0) {
		ns = ts->tv_nsec;
		for (i = frac_digits; i < 9; i++)
			ns /= 10;
		snprintf(frac, sizeof frac, ".%0*ld", frac_digits, ns);
	}
	snprintf(buf, len, "%04d-%02d-%02dT%02d:%02d:%02d%sZ",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	    tm.tm_min, tm.tm_sec, frac);
}

/* Format as 20150830T123600Z. */
void
time_format_amz(time_t t, char *buf, size_t len)
{
	struct tm	tm;

	if (len == 0)
		return;
	if (gmtime_r(&t, &tm) == NULL) {
		buf[0] = '\0';
		return;
	}
	snprintf(buf, len, "%04d%02d%02dT%02d%02d%02dZ", tm.tm_year + 1900,
	    tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/* A timestamp from JSON: an ISO string or epoch seconds (fraction kept
 * to the microsecond, which is all a double carries at today's epoch). */
int
time_from_json(const cJSON *item, struct timespec *out)
{
	double	d, whole, us;

	if (cJSON_IsString(item))
		return time_parse(item->valuestring, out);
	if (!cJSON_IsNumber(item))
		return -1;
	d = item->valuedouble;
	if (!isfinite(d) || d < -1e13 || d > 1e13)
		return -1;
	whole = floor(d);
	us = round((d - whole) * 1e6);
	if (us >= 1e6) {
		whole += 1;
		us = 0;
	}
	out->tv_sec = (time_t)whole;
	out->tv_nsec = (long)us * 1000;
	return 0;
}

/* The wall clock. */
struct timespec
time_now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ts;
}

/* Monotonic clock in milliseconds. */
uint64_t
time_mono_ms(void)
{
	return time_mono_us() / 1000;
}

/* Monotonic clock in microseconds. */
uint64_t
time_mono_us(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

/* Sleep ms milliseconds, resuming after signals. */
void
time_sleep_ms(uint64_t ms)
{
	struct timespec	req, rem;

	req.tv_sec = (time_t)(ms / 1000);
	req.tv_nsec = (long)(ms % 1000) * 1000000L;
	while (nanosleep(&req, &rem) == -1 && errno == EINTR)
		req = rem;
}
