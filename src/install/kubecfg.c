/* The kubeconfig context the cluster step writes, as `aws eks
 * update-kubeconfig` does: cluster, user and context named by the cluster
 * ARN, the user an exec of `aws eks get-token` (which the kube layer
 * computes natively), made the current context. */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "latticectl/error.h"
#include "latticectl/json.h"
#include "latticectl/xmalloc.h"
#include "latticectl/yaml.h"

#include "install_int.h"

#define KUBECFG_EXEC_API	"client.authentication.k8s.io/v1beta1"

/* The path to write: the flag, lab.yaml, KUBECONFIG's first entry, else
 * ~/.kube/config ("~/" expanded). */
char *
kubecfg_default_path(const char *flag, const char *lab)
{
	const char	*env = getenv("KUBECONFIG"), *home = getenv("HOME");
	const char	*p = flag != NULL ? flag : lab;
	char		*s;

	if (p == NULL && env != NULL && *env != '\0') {
		s = xstrndup(env, strcspn(env, ":"));
		if (*s != '\0')
			return s;
		free(s);
	}
	if (home == NULL)
		home = ".";
	if (p == NULL)
		xasprintf(&s, "%s/.kube/config", home);
	else if (strncmp(p, "~/", 2) == 0)
		xasprintf(&s, "%s/%s", home, p + 2);
	else
		s = xstrdup(p);
	return s;
}

/* The file's document, or a new empty Config (NULL on a parse error). */
static cJSON *
kubecfg_read(const char *path, char **cause)
{
	cJSON	*docs = NULL, *doc;

	if (access(path, F_OK) != 0) {
		doc = cJSON_CreateObject();
		cJSON_AddStringToObject(doc, "apiVersion", "v1");
		cJSON_AddStringToObject(doc, "kind", "Config");
		return doc;
	}
	if (yaml_load_file(path, &docs, cause) != 0)
		return NULL;
	doc = cJSON_DetachItemFromArray(docs, 0);
	cJSON_Delete(docs);
	if (!cJSON_IsObject(doc)) {
		cJSON_Delete(doc);
		doc = cJSON_CreateObject();
	}
	return doc;
}

/* The named entry of a list ("clusters", "users", "contexts"). */
static cJSON *
kubecfg_entry(const cJSON *doc, const char *list, const char *name)
{
	cJSON	*e;

	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(doc, list)) {
		if (json_str(e, "name") != NULL &&
		    strcmp(json_str(e, "name"), name) == 0)
			return e;
	}
	return NULL;
}

/* Does the file hold context name (pointing at server when given)? */
int
kubecfg_has(const char *path, const char *name, const char *server)
{
	cJSON		*doc, *ctx, *cl;
	const char	*cname;
	int		 ok = 0;

	if (path == NULL || name == NULL ||
	    (doc = kubecfg_read(path, NULL)) == NULL)
		return 0;
	ctx = kubecfg_entry(doc, "contexts", name);
	cname = json_path_str(ctx, "context.cluster");
	if (ctx != NULL && cname != NULL) {
		cl = kubecfg_entry(doc, "clusters", cname);
		ok = cl != NULL && (server == NULL || (json_path_str(cl,
		    "cluster.server") != NULL && strcmp(json_path_str(cl,
		    "cluster.server"), server) == 0));
	}
	cJSON_Delete(doc);
	return ok;
}

/* Replace (or add) the named entry of a list with item (taken). */
static void
kubecfg_put(cJSON *doc, const char *list, const char *name, cJSON *item)
{
	cJSON	*arr = cJSON_GetObjectItemCaseSensitive(doc, list), *old;

	if (!cJSON_IsArray(arr)) {
		cJSON_DeleteItemFromObjectCaseSensitive(doc, list);
		arr = cJSON_AddArrayToObject(doc, list);
	}
	cJSON_AddStringToObject(item, "name", name);
	if ((old = kubecfg_entry(doc, list, name)) != NULL)
		cJSON_ReplaceItemViaPointer(arr, old, item);
	else
		cJSON_AddItemToArray(arr, item);
}

/* Make the parent directory (mode 0700) when missing. */
static int
kubecfg_mkdir(const char *path, char **cause)
{
	char	*dir = xstrdup(path), *slash = strrchr(dir, '/');
	int	 rc = 0;

	if (slash != NULL && slash != dir) {
		*slash = '\0';
		if (mkdir(dir, 0700) != 0 && errno != EEXIST)
			rc = error_set(cause, "%s: %s", dir, strerror(errno));
	}
	free(dir);
	return rc;
}

/* Write doc to path atomically with mode 0600. */
static int
kubecfg_write(const char *path, const cJSON *doc, char **cause)
{
	char	*tmp, *text;
	size_t	 len;
	int	 fd, rc = 0;

	if (kubecfg_mkdir(path, cause) != 0)
		return -1;
	xasprintf(&tmp, "%s.tmp.%ld", path, (long)getpid());
	text = yaml_dump(doc);
	len = strlen(text);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0 || write(fd, text, len) != (ssize_t)len || fsync(fd) != 0)
		rc = error_set(cause, "%s: %s", tmp, strerror(errno));
	if (fd >= 0)
		close(fd);
	if (rc == 0 && rename(tmp, path) != 0)
		rc = error_set(cause, "%s: %s", path, strerror(errno));
	if (rc != 0)
		unlink(tmp);
	free(tmp);
	free(text);
	return rc;
}

/* The user entry: exec `aws --region R eks get-token --cluster-name C`. */
static cJSON *
kubecfg_user(const char *region, const char *cluster)
{
	const char	*args[] = { "--region", region, "eks", "get-token",
	    "--cluster-name", cluster, "--output", "json" };
	cJSON		*u, *ex;

	u = cJSON_CreateObject();
	ex = cJSON_AddObjectToObject(cJSON_AddObjectToObject(u, "user"),
	    "exec");
	cJSON_AddStringToObject(ex, "apiVersion", KUBECFG_EXEC_API);
	cJSON_AddStringToObject(ex, "command", "aws");
	cJSON_AddItemToObject(ex, "args", cJSON_CreateStringArray(args, 8));
	cJSON_AddStringToObject(ex, "interactiveMode", "IfAvailable");
	cJSON_AddBoolToObject(ex, "provideClusterInfo", 0);
	return u;
}

/* Add the cluster's entries and make its context current. */
int
kubecfg_put_eks(const char *path, const char *name, const char *server,
    const char *ca_data, const char *region, const char *cluster,
    char **cause)
{
	cJSON	*doc, *c, *x;
	int	 rc;

	if ((doc = kubecfg_read(path, cause)) == NULL)
		return -1;
	c = cJSON_CreateObject();
	x = cJSON_AddObjectToObject(c, "cluster");
	cJSON_AddStringToObject(x, "server", server);
	if (ca_data != NULL)
		cJSON_AddStringToObject(x, "certificate-authority-data",
		    ca_data);
	kubecfg_put(doc, "clusters", name, c);
	kubecfg_put(doc, "users", name, kubecfg_user(region, cluster));
	c = cJSON_CreateObject();
	x = cJSON_AddObjectToObject(c, "context");
	cJSON_AddStringToObject(x, "cluster", name);
	cJSON_AddStringToObject(x, "user", name);
	kubecfg_put(doc, "contexts", name, c);
	cJSON_DeleteItemFromObjectCaseSensitive(doc, "current-context");
	cJSON_AddStringToObject(doc, "current-context", name);
	rc = kubecfg_write(path, doc, cause);
	cJSON_Delete(doc);
	return rc;
}

/* Drop the named entry of a list; 1 when removed. */
static int
kubecfg_drop(cJSON *doc, const char *list, const char *name)
{
	cJSON	*e = kubecfg_entry(doc, list, name);

	if (e == NULL)
		return 0;
	cJSON_Delete(cJSON_DetachItemViaPointer(
	    cJSON_GetObjectItemCaseSensitive(doc, list), e));
	return 1;
}

/* Remove the cluster's entries (and the current context when it was). */
int
kubecfg_remove(const char *path, const char *name, char **cause)
{
	cJSON		*doc;
	const char	*cur, *other;
	int		 n, rc = 0;

	if (access(path, F_OK) != 0)
		return 0;
	if ((doc = kubecfg_read(path, cause)) == NULL)
		return -1;
	n = kubecfg_drop(doc, "clusters", name);
	n += kubecfg_drop(doc, "users", name);
	n += kubecfg_drop(doc, "contexts", name);
	cur = json_str(doc, "current-context");
	if (cur != NULL && strcmp(cur, name) == 0) {
		/* The first context left becomes current (often the one the
		 * install replaced). */
		other = json_str(cJSON_GetArrayItem(
		    cJSON_GetObjectItemCaseSensitive(doc, "contexts"), 0),
		    "name");
		cJSON_ReplaceItemInObjectCaseSensitive(doc, "current-context",
		    cJSON_CreateString(other != NULL ? other : ""));
		n++;
	}
	if (n != 0)
		rc = kubecfg_write(path, doc, cause);
	cJSON_Delete(doc);
	return rc;
}
