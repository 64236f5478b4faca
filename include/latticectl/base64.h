/*
 * Base64 (RFC 4648 standard alphabet, with padding) over OpenSSL's EVP
 * block coder. Results are NUL-terminated and owned by the caller.
 */
#ifndef LATTICECTL_BASE64_H
#define LATTICECTL_BASE64_H

#include <stddef.h>

char	*base64_encode(const void *data, size_t len);
/* Decode text (whitespace ignored); NULL when it is not valid base64.
 * *len gets the decoded length (the buffer has a NUL after it). */
char	*base64_decode(const char *text, size_t *len);

#endif
