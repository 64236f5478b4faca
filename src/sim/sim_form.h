/*
 * Form decoding shared by the simulator's two halves: percent-escapes and
 * "a=1&b=%2F" lists (AWS query bodies, Kubernetes query strings). Decoded
 * strings and the arrays are the caller's (sim_form_free).
 */
#ifndef LATTICECTL_SIM_FORM_H
#define LATTICECTL_SIM_FORM_H

#include <stddef.h>

/* Flags: '+' is a space; %00 is dropped (else decoded). */
#define SIM_UNESCAPE_PLUS	0x1
#define SIM_UNESCAPE_DROP_NUL	0x2

/* Percent-decode len bytes (caller frees); bad escapes stay as they are. */
char	*sim_unescape(const char *s, size_t len, int flags);
/* Append the non-empty "name[=value]" items of len bytes of s (NULL: none)
 * to the parallel arrays, up to max items in all. */
void	 sim_form_parse(const char *s, size_t len, size_t max, int flags,
	    char ***names, char ***values, size_t *n);
/* Free n pairs and the arrays. */
void	 sim_form_free(char **names, char **values, size_t n);

#endif
