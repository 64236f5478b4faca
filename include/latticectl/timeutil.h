/*
 * Time: RFC 3339 / ISO 8601 parsing (fractions, Z or offsets, and the
 * "basic" AWS form 20150830T123600Z), formatting, epoch seconds as EKS
 * sends them, and a monotonic clock.
 */
#ifndef LATTICECTL_TIMEUTIL_H
#define LATTICECTL_TIMEUTIL_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <cjson/cJSON.h>

/* Parse RFC 3339/ISO 8601 ("2026-11-28T06:22:11.342354+00:00", "...Z",
 * "20150830T123600Z"); 0 on success. */
int	 time_parse(const char *s, struct timespec *out);
/* Format as RFC 3339 UTC with frac_digits (0, 3, 6 or 9) fractional digits. */
void	 time_format_rfc3339(const struct timespec *, int frac_digits,
	    char *buf, size_t len);
/* Format as the SigV4 basic form, 20150830T123600Z (buf >= 17). */
void	 time_format_amz(time_t, char *buf, size_t len);
/* A JSON timestamp: an ISO string, or a number of epoch seconds. */
int	 time_from_json(const cJSON *, struct timespec *out);
/* Wall clock now. */
struct timespec time_now(void);
/* Monotonic milliseconds / microseconds. */
uint64_t time_mono_ms(void);
uint64_t time_mono_us(void);
/* Sleep for ms milliseconds (restarting on EINTR). */
void	 time_sleep_ms(uint64_t ms);

#endif
