/* YAML: typing, streams, anchors and merges, limits, errors, dumping and
 * round trips, and the real CRDs and examples from the reference. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "latticectl/json.h"
#include "latticectl/strbuf.h"
#include "latticectl/xmalloc.h"
#include "latticectl/yaml.h"
#include "testlib.h"

#define GWAPI	"crds/gateway-api-v1.5.1/"

/* Load text that must parse; returns the documents array. */
static cJSON *
load_ok(const char *text)
{
	cJSON	*docs = NULL;
	char	*cause = NULL;

	if (yaml_load(text, strlen(text), "t.yaml", &docs, &cause) != 0)
		fail_msg("load failed: %s\n%s", cause, text);
	return docs;
}

/* Load text that must fail; returns the cause (caller frees). */
static char *
load_err(const char *text)
{
	cJSON	*docs = (cJSON *)1;
	char	*cause = NULL;

	if (yaml_load(text, strlen(text), "t.yaml", &docs, &cause) == 0)
		fail_msg("load succeeded: %s", text);
	assert_null(docs);
	assert_non_null(cause);
	return cause;
}

/* Load one document and compare it with the JSON text want. */
static void
check_as_json(const char *yaml, const char *want)
{
	cJSON	*docs = load_ok(yaml);
	cJSON	*w = cJSON_Parse(want);
	char	*got;

	assert_non_null(w);
	assert_int_equal(cJSON_GetArraySize(docs), 1);
	if (!json_equal(docs->child, w)) {
		got = json_print(docs->child);
		fail_msg("%s\n  -> %s\n  want %s", yaml, got, want);
	}
	cJSON_Delete(w);
	cJSON_Delete(docs);
}

/* Plain scalars resolve by the core schema; other styles are strings. */
static void
test_scalar_types(void **state)
{
	static const struct {
		const char	*yaml, *json;
	} cases[] = {
		{ "a: ~", "{\"a\":null}" },
		{ "a:", "{\"a\":null}" },
		{ "a: null", "{\"a\":null}" },
		{ "a: NULL", "{\"a\":null}" },
		{ "[true, True, TRUE, false, False, FALSE]",
		  "[true,true,true,false,false,false]" },
		{ "[yes, no, on, off, tRUE]",
		  "[\"yes\",\"no\",\"on\",\"off\",\"tRUE\"]" },
		{ "[0, -12, +5, 017, 0x1F, 0o17, 0xff]",
		  "[0,-12,5,17,31,15,255]" },
		{ "[1.5, -0.25, 1e3, 2.5E-2, .5, 1., +1.0]",
		  "[1.5,-0.25,1000,0.025,0.5,1,1]" },
		{ "[1_000, 0x, 0o8, 12abc, 1.2.3, 1e, e3, .]",
		  "[\"1_000\",\"0x\",\"0o8\",\"12abc\",\"1.2.3\",\"1e\",\"e3\","
		  "\".\"]" },
		{ "['1', \"true\", 'null', \"\", '~']",
		  "[\"1\",\"true\",\"null\",\"\",\"~\"]" },
		{ "[!!str 123, !!str true, !!str , ! 12]",
		  "[\"123\",\"true\",\"\",\"12\"]" },
		{ "[!!int \"42\", !!float '1.5', !!bool \"true\", !!null '']",
		  "[42,1.5,true,null]" },
		{ "a: !custom 12", "{\"a\":\"12\"}" },
		{ "a: |\n  x\n  y\nb: >\n  p\n  q\n",
		  "{\"a\":\"x\\ny\\n\",\"b\":\"p q\\n\"}" },
		{ "a: |-\n  12\n", "{\"a\":\"12\"}" },
		{ "1: one\ntrue: t\n~: n\n0x10: h",
		  "{\"1\":\"one\",\"true\":\"t\",\"~\":\"n\",\"0x10\":\"h\"}" },
		{ "a: b: c", NULL },
	};
	cJSON	*docs;
	double	 d;
	size_t	 i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		if (cases[i].json != NULL)
			check_as_json(cases[i].yaml, cases[i].json);
		else
			free(load_err(cases[i].yaml));
	}
	docs = load_ok("[.inf, -.Inf, +.INF, .nan, .NaN]");
	d = cJSON_GetArrayItem(docs->child, 0)->valuedouble;
	assert_true(isinf(d) && d > 0);
	d = cJSON_GetArrayItem(docs->child, 1)->valuedouble;
	assert_true(isinf(d) && d < 0);
	d = cJSON_GetArrayItem(docs->child, 2)->valuedouble;
	assert_true(isinf(d) && d > 0);
	assert_true(isnan(cJSON_GetArrayItem(docs->child, 3)->valuedouble));
	assert_true(isnan(cJSON_GetArrayItem(docs->child, 4)->valuedouble));
	cJSON_Delete(docs);
	free(load_err("a: !!int abc"));
	free(load_err("a: !!bool yes"));
}

/* Streams: documents in order, empty ones skipped. */
static void
test_multi_doc(void **state)
{
	cJSON	*docs;

	docs = load_ok("---\n---\na: 1\n...\n---\n# only a comment\n---\n"
	    "- x\n---\nnull\n--- b\n");
	assert_int_equal(cJSON_GetArraySize(docs), 3);
	assert_int_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(docs, 0),
	    "a")->valueint, 1);
	assert_true(cJSON_IsArray(cJSON_GetArrayItem(docs, 1)));
	assert_string_equal(cJSON_GetArrayItem(docs, 2)->valuestring, "b");
	cJSON_Delete(docs);
	docs = load_ok("");
	assert_int_equal(cJSON_GetArraySize(docs), 0);
	cJSON_Delete(docs);
	docs = load_ok("# nothing\n");
	assert_int_equal(cJSON_GetArraySize(docs), 0);
	cJSON_Delete(docs);
	/* Anchors do not cross documents. */
	free(load_err("a: &x 1\n---\nb: *x\n"));
}

/* Aliases copy their anchor; merge keys fill in missing keys only. */
static void
test_anchors_merge(void **state)
{
	check_as_json("base: &b {x: 1, l: [1, 2]}\nother: *b\n",
	    "{\"base\":{\"x\":1,\"l\":[1,2]},\"other\":{\"x\":1,\"l\":[1,2]}}");
	check_as_json("- &a hello\n- *a\n- &a bye\n- *a\n",
	    "[\"hello\",\"hello\",\"bye\",\"bye\"]");
	check_as_json("base: &b {x: 1, y: 2}\nd:\n  y: 3\n  <<: *b\n",
	    "{\"base\":{\"x\":1,\"y\":2},\"d\":{\"y\":3,\"x\":1}}");
	check_as_json("a: &a {x: 1}\nb: &b {x: 2, y: 2}\nc:\n  <<: [*a, *b]\n"
	    "  z: 3\n", "{\"a\":{\"x\":1},\"b\":{\"x\":2,\"y\":2},"
	    "\"c\":{\"z\":3,\"x\":1,\"y\":2}}");
	check_as_json("c:\n  <<: {k: v}\n", "{\"c\":{\"k\":\"v\"}}");
	check_as_json("c: {\"<<\": 1}\n", "{\"c\":{\"<<\":1}}");
	check_as_json("k: &k key\n*k : v\n", "{\"k\":\"key\",\"key\":\"v\"}");
	/* Anchored merge sources stay intact for later aliases. */
	check_as_json("a:\n  <<: &m {p: 1}\n  q: 2\nb: *m\n",
	    "{\"a\":{\"q\":2,\"p\":1},\"b\":{\"p\":1}}");
	free(load_err("c:\n  <<: [1, 2]\n"));
	free(load_err("c:\n  <<: scalar\n"));
}

/* Alias bombs, deep nesting and self reference all fail cleanly. */
static void
test_limits(void **state)
{
	struct strbuf	 sb;
	char		*c;
	int		 i;

	c = load_err("a: &a [x,x,x,x,x,x,x,x,x,x]\n"
	    "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
	    "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
	    "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
	    "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\n"
	    "f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
	    "g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f,*f]\n"
	    "h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g,*g]\n"
	    "i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h,*h]\n");
	assert_non_null(strstr(c, "too large"));
	assert_non_null(strstr(c, "t.yaml:"));
	free(c);
	strbuf_init(&sb);
	for (i = 0; i < 300; i++)
		strbuf_addc(&sb, '[');
	for (i = 0; i < 300; i++)
		strbuf_addc(&sb, ']');
	c = load_err(sb.buf);
	assert_non_null(strstr(c, "nesting too deep"));
	free(c);
	strbuf_reset(&sb);
	for (i = 0; i < 200; i++)
		strbuf_addc(&sb, '[');
	for (i = 0; i < 200; i++)
		strbuf_addc(&sb, ']');
	cJSON_Delete(load_ok(sb.buf));
	/* A depth-200 anchor used at depth 100 would exceed 256. */
	strbuf_reset(&sb);
	strbuf_adds(&sb, "- &deep ");
	for (i = 0; i < 199; i++)
		strbuf_addc(&sb, '[');
	for (i = 0; i < 199; i++)
		strbuf_addc(&sb, ']');
	strbuf_adds(&sb, "\n- ");
	for (i = 0; i < 99; i++)
		strbuf_addc(&sb, '[');
	strbuf_adds(&sb, "*deep");
	for (i = 0; i < 99; i++)
		strbuf_addc(&sb, ']');
	c = load_err(sb.buf);
	assert_non_null(strstr(c, "nesting too deep"));
	free(c);
	strbuf_free(&sb);
	/* An alias inside its own anchor is not yet defined. */
	free(load_err("a: &a [1, *a]\n"));
}

/* Errors read "file:line:column: problem" with 1-based positions. */
static void
test_errors(void **state)
{
	char	*c;

	c = load_err("a: [1, 2\nb: c\n");
	assert_true(strncmp(c, "t.yaml:2:2: did not find expected ',' or "
	    "']'", 40) == 0);
	free(c);
	c = load_err("a: 1\n? [k]\n: v\n");
	assert_string_equal(c, "t.yaml:2:3: mapping key must be a scalar");
	free(c);
	c = load_err("a: 1\nb: 2\na: 3\n");
	assert_string_equal(c, "t.yaml:3:1: duplicate mapping key");
	free(c);
	c = load_err("x:\n  y: *nope\n");
	assert_string_equal(c, "t.yaml:2:6: unknown anchor");
	free(c);
	c = load_err("a:\tb\n  c: d\n");
	assert_true(strncmp(c, "t.yaml:2:", 9) == 0);
	free(c);
	c = load_err("ok: \"\xff\"\n");
	assert_true(strncmp(c, "t.yaml:1:", 9) == 0);
	free(c);
}

/* Files are read whole; a missing file names its path. */
static void
test_load_file(void **state)
{
	char	*dir = test_tmpdir(), *path, *cause = NULL;
	cJSON	*docs;

	xasprintf(&path, "%s/x.yaml", dir);
	assert_int_equal(yaml_load_file(path, &docs, &cause), -1);
	assert_non_null(strstr(cause, path));
	assert_non_null(strstr(cause, "No such file"));
	free(cause);
	cause = NULL;
	assert_int_equal(test_write_file(path, "a: 1\n---\nb: [x]\n", 0644), 0);
	assert_int_equal(yaml_load_file(path, &docs, &cause), 0);
	assert_int_equal(cJSON_GetArraySize(docs), 2);
	cJSON_Delete(docs);
	assert_int_equal(test_write_file(path, "a: [\n", 0644), 0);
	assert_int_equal(yaml_load_file(path, &docs, &cause), -1);
	assert_true(strncmp(cause, path, strlen(path)) == 0);
	assert_int_equal(cause[strlen(path)], ':');
	free(cause);
	unlink(path);
	rmdir(dir);
	free(path);
	free(dir);
}

/* Dumped text matches kubectl's block style. */
static void
test_dump_golden(void **state)
{
	cJSON	*t = cJSON_Parse("{\"apiVersion\":\"v1\","
	    "\"kind\":\"Service\","
	    "\"metadata\":{\"name\":\"web\",\"labels\":{\"app\":\"web\"},"
	    "\"annotations\":{}},\"spec\":{\"ports\":[{\"port\":80,"
	    "\"protocol\":\"TCP\"},{\"port\":443}],\"selector\":{\"app\":"
	    "\"web\"},\"ips\":[],\"ready\":true,\"ratio\":0.25,\"none\":null,"
	    "\"version\":\"1.0\",\"matrix\":[[1,2],[]],\"script\":"
	    "\"echo hi\\necho bye\\n\"}}");
	char	*y;

	assert_non_null(t);
	y = yaml_dump(t);
	assert_string_equal(y,
	    "apiVersion: v1\n"
	    "kind: Service\n"
	    "metadata:\n"
	    "  name: web\n"
	    "  labels:\n"
	    "    app: web\n"
	    "  annotations: {}\n"
	    "spec:\n"
	    "  ports:\n"
	    "  - port: 80\n"
	    "    protocol: TCP\n"
	    "  - port: 443\n"
	    "  selector:\n"
	    "    app: web\n"
	    "  ips: []\n"
	    "  ready: true\n"
	    "  ratio: 0.25\n"
	    "  none: null\n"
	    "  version: '1.0'\n"
	    "  matrix:\n"
	    "  - - 1\n"
	    "    - 2\n"
	    "  - []\n"
	    "  script: |\n"
	    "    echo hi\n"
	    "    echo bye\n");
	free(y);
	cJSON_Delete(t);
	t = cJSON_CreateString("top");
	y = yaml_dump(t);
	assert_string_equal(y, "top\n");
	free(y);
	cJSON_Delete(t);
	t = cJSON_CreateArray();
	y = yaml_dump(t);
	assert_string_equal(y, "[]\n");
	free(y);
	cJSON_Delete(t);
}

/* A stream dump separates documents and loads back as the same list. */
static void
test_dump_stream(void **state)
{
	cJSON	*docs = load_ok("a: 1\n---\n- x\n---\ns\n"), *back;
	char	*y = yaml_dump_stream(docs);

	assert_string_equal(y, "a: 1\n---\n- x\n---\ns\n");
	back = load_ok(y);
	assert_true(json_equal(docs, back));
	free(y);
	cJSON_Delete(back);
	cJSON_Delete(docs);
	docs = cJSON_CreateArray();
	y = yaml_dump_stream(docs);
	assert_string_equal(y, "");
	free(y);
	cJSON_Delete(docs);
}

/* Strings that would read back differently are quoted. */
static void
test_dump_quoting(void **state)
{
	static const char *const quoted[] = {
		"", " lead", "trail ", "true", "False", "null", "~", "yes",
		"No", "on", "OFF", "y", "123", "0x1F", "1e3", "-1", ".5",
		".inf", "1_000", "0755", "a: b", "a #b", "#c", "- item", "-",
		"?", ":x", "x:", "{a}", "[a]", "a,b", "&a", "*a", "!t", "|",
		">", "'", "\"", "%", "@", "`", "<<", "...", "---",
		"tab\there", "\x01",
	};
	static const char *const plain[] = {
		"hello", "nginx:1.25", "https://example.com/x?y=z",
		"a-b_c.d", "my gateway", "arn:aws:vpc-lattice:us-west-2:1:x",
		"/path", "é", "x-1", "a'b",
	};
	cJSON	*t;
	char	*y, want[128];
	size_t	 i;

	for (i = 0; i < sizeof quoted / sizeof quoted[0]; i++) {
		t = cJSON_CreateObject();
		cJSON_AddStringToObject(t, "k", quoted[i]);
		y = yaml_dump(t);
		snprintf(want, sizeof want, "k: %s\n", quoted[i]);
		if (strcmp(y, want) == 0 || (y[3] != '\'' && y[3] != '"'))
			fail_msg("not quoted: \"%s\" -> %s", quoted[i], y);
		free(y);
		cJSON_Delete(t);
	}
	for (i = 0; i < sizeof plain / sizeof plain[0]; i++) {
		t = cJSON_CreateObject();
		cJSON_AddStringToObject(t, "k", plain[i]);
		y = yaml_dump(t);
		snprintf(want, sizeof want, "k: %s\n", plain[i]);
		if (strcmp(y, want) != 0)
			fail_msg("quoted needlessly: %s", y);
		free(y);
		cJSON_Delete(t);
	}
	t = cJSON_CreateObject();
	cJSON_AddStringToObject(t, "it's", "it's");
	y = yaml_dump(t);
	assert_string_equal(y, "it's: it's\n");
	free(y);
	cJSON_Delete(t);
}

/* Dump then load gives the same tree back. */
static void
check_roundtrip(const cJSON *t)
{
	cJSON	*docs = NULL;
	char	*y = yaml_dump(t), *cause = NULL, *j;

	if (yaml_load(y, strlen(y), "dump", &docs, &cause) != 0)
		fail_msg("reload failed: %s\n%s", cause, y);
	if (cJSON_GetArraySize(docs) != 1 || !json_equal(docs->child, t)) {
		j = json_print(docs->child);
		fail_msg("round trip changed the tree:\n%s\n-> %s", y, j);
	}
	cJSON_Delete(docs);
	free(y);
}

/* Tricky trees survive a dump and reload. */
static void
test_roundtrip(void **state)
{
	static const char *const strs[] = {
		"", " ", "  lead", "trail  ", "a: b", "a #b", "#c", "- x", "-",
		"?", "? x", ":", "x:", "{}", "[]", "&a", "*a", "!!str", "|",
		">",
		"'", "''", "\"", "\\", "%YAML", "@x", "`x`", "yes", "No",
		"null", "NULL", "~", "true", "0", "-0", "0x10", "0o7", "1e3",
		"1.", ".5", ".inf", "-.Inf", ".NaN", "1_000", "<<", "---",
		"...", "--- x", "line1\nline2", "trailing\n", "two\n\n",
		"three\n\n\n", "\nlead", "\n\nlead2\n", "\n", "\n\n",
		"tab\there", "cr\r\nlf", "  indented\nfirst",
		"first\n  indented",
		"blank \n line", "x\n \ny", "unicode é ✓ 😀", "\x01\x02\x7f",
		"\xc2\x85nel", "\xe2\x80\xa8ls", "\xef\xbb\xbf" "bom",
		"a:b", "a,b", "[a, b]", "key: |\n  x", "# not a comment\nx",
		"ends with colon:", "- \n- ", "=", "y", "n", "on", "off",
		"emoji: 😀\nmore",
	};
	static const double nums[] = {
		0, 1, -1, 1.5, -0.25, 1e300, -1e-300, 123456789012.0,
		3.141592653589793, 0.1, 1e17, 1.2345678901234567e18,
		9007199254740993.0, 5e-324,
	};
	cJSON	*t, *a, *o;
	size_t	 i;

	t = cJSON_CreateObject();
	a = cJSON_AddArrayToObject(t, "strings");
	o = cJSON_AddObjectToObject(t, "keys");
	for (i = 0; i < sizeof strs / sizeof strs[0]; i++) {
		cJSON_AddItemToArray(a, cJSON_CreateString(strs[i]));
		if (cJSON_GetObjectItemCaseSensitive(o, strs[i]) == NULL)
			cJSON_AddStringToObject(o, strs[i], strs[i]);
		check_roundtrip(a->child);	/* also alone, at the root */
		check_roundtrip(cJSON_GetArrayItem(a, (int)i));
	}
	a = cJSON_AddArrayToObject(t, "numbers");
	for (i = 0; i < sizeof nums / sizeof nums[0]; i++) {
		cJSON_AddItemToArray(a, cJSON_CreateNumber(nums[i]));
		check_roundtrip(cJSON_GetArrayItem(a, (int)i));
	}
	cJSON_AddItemToArray(a, cJSON_CreateNumber(INFINITY));
	cJSON_AddItemToArray(a, cJSON_CreateNumber(-INFINITY));
	cJSON_AddItemToArray(a, cJSON_CreateNumber(NAN));
	o = cJSON_AddObjectToObject(t, "nest");
	cJSON_AddItemToObject(o, "seqseq", cJSON_Parse("[[[1],[]],[{}],"
	    "[{\"a\":[{\"b\":[\"x\\ny\"]}]}]]"));
	cJSON_AddItemToObject(o, "mix", cJSON_Parse("[true,false,null,{},[],"
	    "{\"\":\"\"},{\"multi\\nline key\":\"v\"}]"));
	check_roundtrip(t);
	cJSON_Delete(t);
}

/* Keys over the 1024-character simple-key limit use "? key". */
static void
test_long_key(void **state)
{
	cJSON	*t = cJSON_CreateObject(), *inner;
	char	 key[3000];
	char	*y;

	memset(key, 'k', sizeof key - 1);
	key[sizeof key - 1] = '\0';
	cJSON_AddStringToObject(t, key, "v");
	inner = cJSON_AddObjectToObject(t, "b");
	cJSON_AddItemToObject(inner, key, cJSON_Parse("[1,{\"x\":[2]}]"));
	key[5] = ':';
	key[6] = ' ';
	cJSON_AddItemToObject(inner, key, cJSON_Parse("{\"y\":1}"));
	y = yaml_dump(t);
	assert_true(strncmp(y, "? kkk", 5) == 0);
	free(y);
	check_roundtrip(t);
	cJSON_Delete(t);
}

/* Load every document of a reference file, round-trip each one. */
static cJSON *
load_ref(const char *rel, int want_docs)
{
	const char	*ref = test_reference_dir();
	char		 path[1024], *cause = NULL;
	cJSON		*docs, *d;

	snprintf(path, sizeof path, "%s/%s", ref, rel);
	if (yaml_load_file(path, &docs, &cause) != 0)
		fail_msg("%s: %s", rel, cause);
	if (want_docs >= 0 && cJSON_GetArraySize(docs) != want_docs)
		fail_msg("%s: %d documents, want %d", rel,
		    cJSON_GetArraySize(docs), want_docs);
	cJSON_ArrayForEach(d, docs)
		check_roundtrip(d);
	return docs;
}

/* The first document of kind in docs. */
static const cJSON *
find_kind(const cJSON *docs, const char *kind, int nth)
{
	const cJSON	*d;

	cJSON_ArrayForEach(d, docs) {
		if (json_str(d, "kind") != NULL &&
		    strcmp(json_str(d, "kind"), kind) == 0 && nth-- == 0)
			return d;
	}
	return NULL;
}

/* The real CRDs, examples and install manifests load as expected. */
static void
test_reference(void **state)
{
	static const char *const crds[] = {
		GWAPI "gateway.networking.k8s.io_httproutes.yaml",
		GWAPI "gateway.networking.k8s.io_gateways.yaml",
		GWAPI "gateway.networking.k8s.io_grpcroutes.yaml",
		"crds/aws-application-networking/"
		    "application-networking.k8s.aws_serviceexports.yaml",
		"crds/aws-application-networking/"
		    "application-networking.k8s.aws_targetgrouppolicies.yaml",
	};
	cJSON		*docs;
	const cJSON	*d, *c;
	size_t		 i;
	int64_t		 v;

	if (test_reference_dir() == NULL) {
		printf("SKIP: ../shared/reference not found\n");
		skip();
	}
	for (i = 0; i < sizeof crds / sizeof crds[0]; i++) {
		docs = load_ref(crds[i], 1);
		assert_string_equal(json_str(docs->child, "kind"),
		    "CustomResourceDefinition");
		assert_non_null(json_path(docs->child,
		    "spec.versions"));
		cJSON_Delete(docs);
	}
	docs = load_ref("crds/gateway-api-v1.5.1/"
	    "gateway.networking.k8s.io_httproutes.yaml", 1);
	assert_string_equal(json_path_str(docs->child, "spec.names.kind"),
	    "HTTPRoute");
	assert_string_equal(json_path_str(docs->child, "metadata.name"),
	    "httproutes.gateway.networking.k8s.io");
	cJSON_Delete(docs);

	docs = load_ref("controller-installation/deploy-v1.0.3.yaml", 21);
	assert_string_equal(json_str(docs->child, "kind"), "Namespace");
	assert_string_equal(json_path_str(docs->child, "metadata.name"),
	    "aws-application-networking-system");
	d = find_kind(docs, "Deployment", 0);
	assert_non_null(d);
	assert_string_equal(json_path_str(d, "metadata.name"),
	    "gateway-api-controller");
	assert_int_equal(json_int(json_path(d, "spec"), "replicas", &v), 0);
	assert_int_equal(v, 2);
	c = cJSON_GetArrayItem(json_path(d, "spec.template.spec.containers"),
	    0);
	assert_string_equal(json_str(c, "image"),
	    "gcr.io/kubebuilder/kube-rbac-proxy:v0.8.0");
	assert_non_null(find_kind(docs, "CustomResourceDefinition", 10));
	assert_null(find_kind(docs, "CustomResourceDefinition", 11));
	cJSON_Delete(docs);

	docs = load_ref("controller-installation/deploy-v2.1.3.yaml", 17);
	cJSON_Delete(docs);
	docs = load_ref("examples/mixed-standalone-routes.yaml", 10);
	cJSON_Delete(docs);
	docs = load_ref("examples/my-hotel-gateway.yaml", 1);
	assert_string_equal(json_path_str(docs->child,
	    "spec.gatewayClassName"), "amazon-vpc-lattice");
	c = cJSON_GetArrayItem(json_path(docs->child, "spec.listeners"), 0);
	assert_string_equal(json_str(c, "protocol"), "HTTP");
	assert_int_equal(json_int(c, "port", &v), 0);
	assert_int_equal(v, 80);
	cJSON_Delete(docs);
	docs = load_ref("examples/parking.yaml", 2);
	assert_string_equal(json_str(cJSON_GetArrayItem(docs, 1), "kind"),
	    "Service");
	cJSON_Delete(docs);
}

/* Run the YAML tests. */
int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scalar_types),
		cmocka_unit_test(test_multi_doc),
		cmocka_unit_test(test_anchors_merge),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_load_file),
		cmocka_unit_test(test_dump_golden),
		cmocka_unit_test(test_dump_stream),
		cmocka_unit_test(test_dump_quoting),
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_long_key),
		cmocka_unit_test(test_reference),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
