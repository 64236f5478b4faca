/* The lab's service network, made the way the workshop does before it
 * applies the my-hotel Gateway (`aws vpc-lattice create-service-network
 * --name my-hotel`, then create-service-network-vpc-association with the
 * cluster's VPC): the controller maps the Gateway's name onto it and
 * creates nothing itself. Existing ones are kept. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "latticectl/aws.h"
#include "latticectl/lattice.h"
#include "latticectl/log.h"
#include "latticectl/xmalloc.h"

#include "tui_feed.h"

/* An AWS error as a cause. */
static int
tui_sn_fail(struct aws_error *e, const char *what, char **cause)
{
	xasprintf(cause, "%s: %s", what, e->message != NULL ? e->message :
	    e->code != NULL ? e->code : "failed");
	aws_error_clear(e);
	return -1;
}

/* The id of the service network called name (NULL: none), or -1. */
static int
tui_sn_find(struct aws *aws, const char *name, char **id, char **cause)
{
	struct lattice_page			 pg;
	struct lattice_service_network_list	 l;
	struct aws_error			 e;
	size_t					 i;

	*id = NULL;
	memset(&pg, 0, sizeof pg);
	memset(&l, 0, sizeof l);
	memset(&e, 0, sizeof e);
	if (lattice_list_service_networks(aws, &pg, &l, &e) != 0)
		return tui_sn_fail(&e, "ListServiceNetworks", cause);
	for (i = 0; i < l.n && *id == NULL; i++)
		if (l.items[i].name != NULL && strcmp(l.items[i].name,
		    name) == 0)
			*id = xstrdup(l.items[i].id);
	lattice_service_network_list_free(&l);
	return 0;
}

/* Associate vpc with the service network id unless it is. */
static int
tui_sn_assoc(struct aws *aws, const char *id, const char *vpc, char **cause)
{
	struct lattice_list_sn_vpc_assocs_input	 li;
	struct lattice_create_sn_vpc_assoc_input ci;
	struct lattice_sn_vpc_assoc_list	 l;
	struct lattice_sn_vpc_assoc		 a;
	struct aws_error			 e;
	size_t					 n;

	memset(&li, 0, sizeof li);
	memset(&l, 0, sizeof l);
	memset(&e, 0, sizeof e);
	li.service_network_identifier = id;
	li.vpc_identifier = vpc;
	if (lattice_list_sn_vpc_assocs(aws, &li, &l, &e) != 0)
		return tui_sn_fail(&e, "ListServiceNetworkVpcAssociations",
		    cause);
	n = l.n;
	lattice_sn_vpc_assoc_list_free(&l);
	if (n > 0)
		return 0;
	memset(&ci, 0, sizeof ci);
	memset(&a, 0, sizeof a);
	ci.service_network_identifier = id;
	ci.vpc_identifier = vpc;
	if (lattice_create_sn_vpc_assoc(aws, &ci, &a, &e) != 0)
		return tui_sn_fail(&e, "CreateServiceNetworkVpcAssociation",
		    cause);
	log_msg(LOG_LEVEL_INFO, "action", "associated %s with service "
	    "network %s (%s)", vpc, id, a.id != NULL ? a.id : "?");
	lattice_sn_vpc_assoc_free(&a);
	return 0;
}

/* Make the service network name (if missing) and associate vpc. */
int
tui_sn_ensure(struct aws *aws, const char *name, const char *vpc,
    char **cause)
{
	struct lattice_create_service_network_input	 in;
	struct lattice_service_network			 sn;
	struct aws_error				 e;
	char						*id = NULL;
	int						 rc;

	if (tui_sn_find(aws, name, &id, cause) != 0)
		return -1;
	if (id == NULL) {
		memset(&in, 0, sizeof in);
		memset(&sn, 0, sizeof sn);
		memset(&e, 0, sizeof e);
		in.name = name;
		if (lattice_create_service_network(aws, &in, &sn, &e) != 0)
			return tui_sn_fail(&e, "CreateServiceNetwork", cause);
		id = xstrdup(sn.id);
		log_msg(LOG_LEVEL_INFO, "action", "created service network "
		    "%s (%s)", name, id);
		lattice_service_network_free(&sn);
	}
	rc = vpc != NULL ? tui_sn_assoc(aws, id, vpc, cause) : 0;
	free(id);
	return rc;
}
