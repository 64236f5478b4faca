/*
 * The simulator's EC2, IAM, STS and EKS, and the workshop's seeded lab
 * topology (research/workshop.md), on top of the service registry of
 * sim_aws.h. EC2 answers the ec2 query protocol, IAM and STS the query
 * protocol (STS also JSON for "Accept: application/json", as the EKS
 * token verifier asks), EKS rest-json.
 *
 * Built in, whether seeded or not: the region's AWS-managed prefix lists
 * com.amazonaws.<region>.vpc-lattice (169.254.171.0/24) and
 * com.amazonaws.<region>.ipv6.vpc-lattice (fd00:ec2:80::/64), the default
 * VPC (172.31.0.0/16, one default subnet per zone a-d, made on first EC2
 * use) and a few AWS-managed IAM policies (VPCLatticeFullAccess, ...).
 *
 * Not checked (documented differences from AWS): web identity token
 * signatures (AssumeRoleWithWebIdentity reads iss/sub/aud/exp from the
 * JWT payload but trusts it); IAM permissions (every principal may call
 * everything; trust policies are evaluated for AssumeRole*).
 *
 * Threads: the functions below lock the simulator themselves; call them
 * from any thread, never from inside a service handler. The EKS settings
 * live in the state tree: set them again after sim_aws_load.
 *
 * Ownership: *arn and *cause of sim_aws_verify_eks_token belong to the
 * caller; string arguments are copied.
 *
 * Owner: helper h9 (src/sim/aws_{ec2,ec2_sg,iam,sts,eks,eksauth,query,
 * lab}.c).
 */
#ifndef LATTICECTL_SIM_AWS_LAB_H
#define LATTICECTL_SIM_AWS_LAB_H

#include "sim_aws.h"

#define SIM_LAB_CLIENTS_VPC	"LatticeWorkshop-Clients-VPC"
#define SIM_LAB_RATES_VPC	"LatticeWorkshop-Rates-VPC"

extern const struct sim_aws_service sim_aws_ec2_service;
extern const struct sim_aws_service sim_aws_iam_service;
extern const struct sim_aws_service sim_aws_sts_service;
extern const struct sim_aws_service sim_aws_eks_service;

/* Register EC2, IAM, STS and EKS (those not registered yet). */
void	 sim_aws_register_lab(struct sim_aws *);
/*
 * Register the services and seed the workshop topology (idempotent: a
 * VPC whose Name tag exists is left alone): the default VPC and the
 * workshop's LatticeWorkshop-Clients-VPC and LatticeWorkshop-Rates-VPC
 * (10.0.0.0/16 each), each with public subnets 10.0.0-2.0/24 and private
 * 10.0.3-5.0/24 in zones a, b, c, Name-tagged
 * LatticeWorkshop-{Client,Rates}-{Public,Private}Subnet0{1,2,3}, and a
 * default security group.
 */
void	 sim_aws_seed_lab(struct sim_aws *);
/* Where ACTIVE EKS clusters point: the simulated Kubernetes API's URL
 * and its CA (PEM; certificateAuthority.data is its base64). NULL
 * endpoint_url: a made-up *.eks.amazonaws.com name. */
void	 sim_aws_eks_set_kube(struct sim_aws *, const char *endpoint_url,
	    const char *ca_pem);
/* EKS CREATING -> ACTIVE and DELETING -> gone delays (milliseconds of
 * the simulated clock); by default the sim_aws_opts create/delete delays. */
void	 sim_aws_eks_set_delays(struct sim_aws *, unsigned create_ms,
	    unsigned delete_ms);
/*
 * Verify an EKS bearer token as aws-iam-authenticator does
 * (research/api_surfaces.md section 4): prefix, length and base64url;
 * https, an STS host name, path "/"; query keys only from the allow-list
 * and each once; Action=GetCallerIdentity; x-k8s-aws-id signed;
 * X-Amz-Expires in 0..900; X-Amz-Date no older than 15 minutes (the
 * simulated clock). Then the URL is replayed against the simulated STS
 * with "x-k8s-aws-id: <cluster>" and "Accept: application/json", which
 * checks the presigned signature with the simulated users' secrets.
 * cluster NULL: any EKS cluster of the simulator. Returns 0 with *arn
 * (an assumed-role ARN canonicalized to arn:aws:iam::ACCT:role/NAME), or
 * -1 with *cause (never holding the token).
 */
int	 sim_aws_verify_eks_token(struct sim_aws *, const char *token,
	    const char *cluster, char **arn, char **cause);
/* The same as a sim_kube_verify_eks_fn: arg is the struct sim_aws, any
 * cluster of the simulator. */
int	 sim_aws_kube_verifier(void *arg, const char *token, char **username,
	    char **cause);

#endif
