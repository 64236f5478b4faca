/*
 * sim_tls: a throw-away PKI for the simulator's TLS listener. A CA and a
 * server certificate (SAN 127.0.0.1, ::1, localhost and any extra names)
 * with EC P-256 keys, made with OpenSSL and handed out as PEM strings.
 * The CA goes into the kubeconfig as certificate-authority-data; the
 * server certificate and key go to httpd_opts.
 *
 * Ownership: every string in struct sim_tls belongs to it and is released
 * by sim_tls_free.
 */
#ifndef LATTICECTL_SIM_TLS_H
#define LATTICECTL_SIM_TLS_H

struct sim_tls {
	char	*ca_cert_pem;
	char	*ca_key_pem;	/* kept so a state file can reissue */
	char	*cert_pem;	/* server certificate */
	char	*key_pem;	/* server key (PKCS#8 PEM) */
};

/* Generate a CA and a server certificate valid for days (0: 365); names
 * is a NULL-terminated list of extra DNS names or IP literals, or NULL. */
int	 sim_tls_generate(struct sim_tls *, const char *const *names,
	    unsigned days, char **cause);
/* Issue a fresh server certificate from an existing CA (ca_cert_pem and
 * ca_key_pem already set, e.g. loaded from a state file). */
int	 sim_tls_issue(struct sim_tls *, const char *const *names,
	    unsigned days, char **cause);
void	 sim_tls_free(struct sim_tls *);

#endif
