/*
 * Builder: targets of a target group from the Service's EndpointSlices
 * (label kubernetes.io/service-name): ready, not terminating endpoints,
 * each address with the slice ports that serve the TG's Service ports.
 */
#include <stdlib.h>
#include <string.h>

#include "latticectl/gwapi.h"
#include "latticectl/lmodel.h"
#include "latticectl/xmalloc.h"

#include "builder_int.h"

/* Whether a slice port serves one of the Service ports: a named Service
 * port keeps the slice ports of that name, an unnamed one (or no port
 * given) keeps every port (upstream's rule). */
static int
targets_port_wanted(const struct gw_service *svc, const int32_t *ports,
    size_t n, const struct gw_slice_port *sp)
{
	const struct gw_service_port	*p;
	size_t				 i;

	if (sp->port <= 0)
		return 0;
	if (n == 0)
		return 1;
	for (i = 0; i < n; i++) {
		if ((p = gw_service_port_find(svc, ports[i])) == NULL)
			continue;
		if (p->name == NULL || *p->name == '\0')
			return 1;
		if (sp->name != NULL && strcmp(sp->name, p->name) == 0)
			return 1;
	}
	return 0;
}

/* Append one target. */
static void
targets_add(struct lm_target_group *tg, const char *ip, int port)
{
	tg->targets = xreallocarray(tg->targets, tg->n_targets + 1,
	    sizeof *tg->targets);
	tg->targets[tg->n_targets].ip = xstrdup(ip);
	tg->targets[tg->n_targets].port = port;
	tg->n_targets++;
}

/* Add the targets of one slice. */
static void
targets_slice(const struct gw_service *svc, const int32_t *ports, size_t n,
    const struct gw_endpointslice *sl, struct lm_target_group *tg)
{
	const struct gw_endpoint	*ep;
	size_t				 p, e, a;

	for (p = 0; p < sl->nports; p++) {
		if (!targets_port_wanted(svc, ports, n, &sl->ports[p]))
			continue;
		for (e = 0; e < sl->nendpoints; e++) {
			ep = &sl->endpoints[e];
			if (!ep->ready || ep->terminating)
				continue;
			for (a = 0; a < ep->naddresses; a++)
				targets_add(tg, ep->addresses[a],
				    sl->ports[p].port);
		}
	}
}

/* Order targets by ip, then port. */
static int
targets_cmp(const void *a, const void *b)
{
	const struct lm_target *x = a, *y = b;
	int c;

	if ((c = strcmp(x->ip, y->ip)) != 0)
		return c;
	return (x->port > y->port) - (x->port < y->port);
}

/* Sort by ip then port and drop duplicates. */
static void
targets_sort_unique(struct lm_target_group *tg)
{
	size_t	i, w;

	if (tg->n_targets == 0)
		return;
	lm_sort(tg->targets, tg->n_targets, sizeof *tg->targets, targets_cmp);
	for (i = 1, w = 1; i < tg->n_targets; i++) {
		if (targets_cmp(&tg->targets[i], &tg->targets[w - 1]) == 0) {
			free(tg->targets[i].ip);
			continue;
		}
		tg->targets[w++] = tg->targets[i];
	}
	tg->n_targets = w;
}

/* Fill tg->targets from the Service's EndpointSlices. */
void
lm_build_targets(const struct lm_sources *src, const struct gw_service *svc,
    const int32_t *ports, size_t n, struct lm_target_group *tg)
{
	const struct gw_endpointslice *const	*slices;
	const char				*family;
	size_t					 ns, i;

	if (src->slices == NULL || svc == NULL)
		return;
	family = strcmp(tg->ip_address_type, "IPV6") == 0 ? "IPv6" : "IPv4";
	ns = src->slices(src->arg, svc->meta.ns, svc->meta.name, &slices);
	for (i = 0; i < ns; i++) {
		if (slices[i]->address_type != NULL &&
		    strcmp(slices[i]->address_type, family) != 0)
			continue;
		targets_slice(svc, ports, n, slices[i], tg);
	}
	targets_sort_unique(tg);
}
