/*
 * Upstream-compatible names: the exact strings the AWS Gateway API
 * Controller for Amazon VPC Lattice (aws/aws-application-networking-k8s
 * v2.1.3) reads and writes, written once here. Source of the facts:
 * reference/research/upstream_controller.md sections 1 and 2.
 *
 * Ownership: constants only; nothing to free.
 */
#ifndef LATTICECTL_UPSTREAM_H
#define LATTICECTL_UPSTREAM_H

/* Controller identity. */
#define UP_CONTROLLER_NAME	"application-networking.k8s.aws/gateway-api-controller"
#define UP_GATEWAYCLASS_NAME	"amazon-vpc-lattice"
#define UP_LEADER_ELECTION_ID	"amazon-vpc-lattice.io"

/* API groups and kinds. */
#define UP_GROUP_GATEWAY	"gateway.networking.k8s.io"
#define UP_GROUP_APPNET		"application-networking.k8s.aws"
#define UP_GROUP_CORE		""
#define UP_GROUP_DISCOVERY	"discovery.k8s.io"
#define UP_KIND_GATEWAYCLASS	"GatewayClass"
#define UP_KIND_GATEWAY		"Gateway"
#define UP_KIND_HTTPROUTE	"HTTPRoute"
#define UP_KIND_GRPCROUTE	"GRPCRoute"
#define UP_KIND_TLSROUTE	"TLSRoute"
#define UP_KIND_REFERENCEGRANT	"ReferenceGrant"
#define UP_KIND_SERVICE		"Service"
#define UP_KIND_ENDPOINTSLICE	"EndpointSlice"
#define UP_KIND_SERVICEEXPORT	"ServiceExport"
#define UP_KIND_SERVICEIMPORT	"ServiceImport"
#define UP_KIND_TGP		"TargetGroupPolicy"
#define UP_KIND_VAP		"VpcAssociationPolicy"
#define UP_KIND_ALP		"AccessLogPolicy"
#define UP_KIND_IAP		"IAMAuthPolicy"
#define UP_KIND_SERVICENETWORK	"ServiceNetwork"

/* Annotation prefix (also the tag prefix, upstream TagBase). */
#define UP_PREFIX		"application-networking.k8s.aws/"

/* Annotations read. */
#define UP_ANN_STANDALONE	UP_PREFIX "standalone"
#define UP_ANN_SERVICE_NAME_OVERRIDE UP_PREFIX "service-name-override"
#define UP_ANN_RULE_PRIORITY_FMT UP_PREFIX "rule-%d-priority"	/* %d = rule index */
#define UP_ANN_TAGS		UP_PREFIX "tags"
#define UP_ANN_ALLOW_TAKEOVER	UP_PREFIX "allow-takeover-from"
#define UP_ANN_FEDERATION	UP_PREFIX "federation"
#define UP_FEDERATION_VALUE	"amazon-vpc-lattice"
#define UP_ANN_SERVICE_NAME	UP_PREFIX "service-name"	/* ServiceExport */
#define UP_ANN_PORT		UP_PREFIX "port"		/* ServiceExport, legacy */
#define UP_ANN_EXPORT_NAME	UP_PREFIX "export-name"		/* ServiceImport */
#define UP_ANN_AWS_VPC		UP_PREFIX "aws-vpc"
#define UP_ANN_AWS_EKS_CLUSTER	UP_PREFIX "aws-eks-cluster-name"
#define UP_ANN_TARGET_GROUP_ARN	UP_PREFIX "target-group-arn"
#define UP_OPT_CERTIFICATE_ARN	UP_PREFIX "certificate-arn"	/* listener tls.options */

/* Annotations written. */
#define UP_ANN_ASSIGNED_DNS	UP_PREFIX "lattice-assigned-domain-name"
#define UP_ANN_SERVICE_ARN	UP_PREFIX "lattice-service-arn"
#define UP_ANN_RESOURCE_ARN	UP_PREFIX "resourceArn"		/* VAP */
#define UP_ANN_ALS		UP_PREFIX "accessLogSubscription"
#define UP_ANN_ALS_RESOURCE_NAME UP_PREFIX "accessLogSubscriptionResourceName"
#define UP_ANN_IAP_RESOURCE_ID	UP_PREFIX "iam-auth-policy-resource-id"
#define UP_ANN_IAP_RESOURCE_TYPE UP_PREFIX "iam-auth-policy-resource-type"
#define UP_ANN_IAP_RESOURCE_NAME UP_PREFIX "iam-auth-policy-resource-name"
#define UP_IAP_TYPE_SN		"ServiceNetwork"
#define UP_IAP_TYPE_SERVICE	"Service"

/* Labels and pod conditions. */
#define UP_LABEL_SERVICE_NAME	"kubernetes.io/service-name"	/* EndpointSlice */
#define UP_LABEL_READINESS_INJECT UP_PREFIX "pod-readiness-gate-inject"
#define UP_POD_READINESS_GATE	UP_PREFIX "pod-readiness-gate"

/* Finalizers (note the singular and the typo: both are upstream's). */
#define UP_FIN_HTTPROUTE	"httproute.k8s.aws/resources"
#define UP_FIN_GRPCROUTE	"grpcroute.k8s.aws/resources"
#define UP_FIN_TLSROUTE		"tlsroute.k8s.aws/resources"
#define UP_FIN_GATEWAY		"gateway.k8s.aws/resources"
#define UP_FIN_SERVICEEXPORT	"serviceexport.k8s.aws/resources"
#define UP_FIN_SERVICEIMPORT	"serviceimport.k8s.aws/resource"
#define UP_FIN_SERVICE_LEGACY	"service.ki8s.aws/resources"
#define UP_FIN_ALP		"accesslogpolicy.k8s.aws/resources"
#define UP_FIN_VAP		"vpcassociationpolicies.application-networking.k8s.aws/resources"
#define UP_FIN_IAP		"application-networking.k8s.aws/iam-auth-policy"
#define UP_FIN_SERVICENETWORK	"servicenetwork.k8s.aws/resources"

/* Tag keys (prefix + name). */
#define UP_TAG_MANAGED_BY	UP_PREFIX "ManagedBy"
#define UP_TAG_ROUTE_NAME	UP_PREFIX "RouteName"
#define UP_TAG_ROUTE_NAMESPACE	UP_PREFIX "RouteNamespace"
#define UP_TAG_ROUTE_TYPE	UP_PREFIX "RouteType"
#define UP_TAG_CLUSTER_NAME	UP_PREFIX "ClusterName"
#define UP_TAG_SERVICE_NAME	UP_PREFIX "ServiceName"
#define UP_TAG_SERVICE_NAMESPACE UP_PREFIX "ServiceNamespace"
#define UP_TAG_SOURCE_TYPE	UP_PREFIX "SourceTypeKey"
#define UP_TAG_PROTOCOL_VERSION	UP_PREFIX "ProtocolVersion"
#define UP_TAG_ACCESS_LOG_POLICY UP_PREFIX "AccessLogPolicy"
/* RouteType tag values and SourceTypeKey values. */
#define UP_ROUTE_TYPE_HTTP	"http"
#define UP_ROUTE_TYPE_GRPC	"grpc"
#define UP_ROUTE_TYPE_TLS	"tls"
#define UP_SOURCE_HTTPROUTE	"HTTPRoute"
#define UP_SOURCE_GRPCROUTE	"GRPCRoute"
#define UP_SOURCE_TLSROUTE	"TLSRoute"
#define UP_SOURCE_SERVICEEXPORT	"ServiceExport"

/* User tags from the tags annotation: upstream limits, dropped prefixes. */
#define UP_TAGS_MAX		50
#define UP_TAG_KEY_MAX		128
#define UP_TAG_VALUE_MAX	256
#define UP_TAG_RESERVED_AWS	"aws:"

/* Condition types. */
#define UP_COND_ACCEPTED	"Accepted"
#define UP_COND_PROGRAMMED	"Programmed"
#define UP_COND_RESOLVED_REFS	"ResolvedRefs"

/* Condition reasons. */
#define UP_REASON_ACCEPTED	"Accepted"
#define UP_REASON_PROGRAMMED	"Programmed"
#define UP_REASON_RESOLVED_REFS	"ResolvedRefs"
#define UP_REASON_PENDING	"Pending"
#define UP_REASON_INVALID	"Invalid"
#define UP_REASON_NO_MATCHING_PARENT	"NoMatchingParent"
#define UP_REASON_NOT_ALLOWED		"NotAllowedByListeners"
#define UP_REASON_NO_MATCHING_HOSTNAME	"NoMatchingListenerHostname"
#define UP_REASON_CONFLICTED		"Conflicted"
#define UP_REASON_CERT_NOT_FOUND	"CertificateNotFound"
#define UP_REASON_UNSUPPORTED_VALUE	"UnsupportedValue"
#define UP_REASON_INVALID_KIND		"InvalidKind"
#define UP_REASON_BACKEND_NOT_FOUND	"BackendNotFound"
#define UP_REASON_REF_NOT_PERMITTED	"RefNotPermitted"
#define UP_REASON_INVALID_EXTERNAL_TG	"InvalidExternalTargetGroup"
#define UP_REASON_CONFLICTING_IMPORT_ANN "ConflictingServiceImportAnnotations"
#define UP_REASON_EXTERNAL_TG_NOT_FOUND	"ExternalTargetGroupNotFound"
#define UP_REASON_INVALID_ROUTE_KINDS	"InvalidRouteKinds"
#define UP_REASON_TARGET_NOT_FOUND	"TargetNotFound"
#define UP_REASON_RECONCILE_ERROR	"ReconcileError"
#define UP_REASON_DELETE_BLOCKED	"DeleteBlocked"
#define UP_REASON_DELETE_ERROR		"DeleteError"

/* Messages upstream writes. */
#define UP_MSG_SN_ARN_PREFIX	"aws-service-network-arn: "
#define UP_MSG_SN_NOT_FOUND	"VPC Lattice Service Network not found"
#define UP_MSG_DUAL_STACK	"Dual stack Service is not supported"

/* Kubernetes event reasons. */
#define UP_EVENT_RECONCILE		"Reconcile"
#define UP_EVENT_DEPLOY_SUCCEED		"DeploySucceed"
#define UP_EVENT_FAILED_BUILD_MODEL	"FailedBuildModel"
#define UP_EVENT_FAILED_DEPLOY_MODEL	"FailedDeployModel"
#define UP_EVENT_RETRY_RECONCILE	"Retry-Reconcile"
#define UP_EVENT_FAILED_ADD_FINALIZER	"FailedAddFinalizer"

/* Limits and defaults. */
#define UP_MAX_HEADER_MATCHES	5
#define UP_MAX_RULE_PRIORITY	100
#define UP_ROUTE_TG_PORT	80	/* route target groups always use 80 */
#define UP_SVC_OVERRIDE_MIN	3
#define UP_SVC_OVERRIDE_MAX	40

#endif
