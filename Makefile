# latticectl build. `make run` and `make test` are the two commands the README promises.
# Libraries are found with pkg-config; scripts/deps.sh installs missing Debian packages.

CC       ?= cc
PREFIX   ?= /usr/local
DESTDIR  ?=
BUILD    ?= build
SAN      ?=
FUZZ_SECONDS ?= 10

PKGS      = ncursesw libcurl openssl libcjson yaml-0.1 libxml-2.0 libmicrohttpd
TEST_PKGS = cmocka

ifeq ($(filter clean,$(MAKECMDGOALS)),)
-include $(BUILD)/config.mk
endif

WARN     = -Wall -Wextra -Werror -Wshadow -Wno-unused-parameter -Wstrict-prototypes
CFLAGS  ?= -O2 -g
ALL_CFLAGS = -std=c11 -D_GNU_SOURCE $(WARN) $(CFLAGS) -Iinclude -MMD -MP $(PKG_CFLAGS)
LDLIBS_ALL = $(PKG_LIBS) -lpthread -lm
ifneq ($(SAN),)
ALL_CFLAGS += -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
SAN_LDFLAGS = -fsanitize=address,undefined
endif

LIB_DIRS  = src/core src/net src/aws src/kube src/gwapi src/engine src/install src/doctor src/sim ui
# ONLY="src/aws/sigv4.c ..." builds a library of src/core plus those files
# (lets one module be tested while others are being written).
ifeq ($(ONLY),)
LIB_SRCS  = $(foreach d,$(LIB_DIRS),$(wildcard $(d)/*.c))
else
LIB_SRCS  = $(wildcard src/core/*.c) $(ONLY)
endif
CLI_SRCS  = $(wildcard src/cli/*.c)
LIB_OBJS  = $(LIB_SRCS:%.c=$(BUILD)/obj/%.o)
CLI_OBJS  = $(CLI_SRCS:%.c=$(BUILD)/obj/%.o)
LIB       = $(BUILD)/liblatticectl.a
BIN       = $(BUILD)/latticectl

UNIT_SRCS = $(wildcard tests/unit/test_*.c)
UNIT_BINS = $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/%)
INTEG_SRCS = $(wildcard tests/integration/itest_*.c)
INTEG_BINS = $(INTEG_SRCS:tests/integration/%.c=$(BUILD)/tests/%)
TESTLIB_SRCS = $(wildcard tests/lib/*.c)
TESTLIB_OBJS = $(TESTLIB_SRCS:%.c=$(BUILD)/obj/%.o)
BENCH_SRCS = $(wildcard bench/bench_*.c)
BENCH_BINS = $(BENCH_SRCS:bench/%.c=$(BUILD)/bench/%)

.SECONDARY: $(TESTLIB_OBJS)
.PHONY: all test unit integration run screenshots check-asan check-valgrind fuzzers fuzz fuzz-build bench soak install clean deps

all: $(BIN)

$(BUILD)/config.mk: scripts/deps.sh scripts/configure.sh
	@mkdir -p $(BUILD)
	@sh scripts/deps.sh $(PKGS) $(TEST_PKGS)
	@sh scripts/configure.sh "$(PKGS)" "$(TEST_PKGS)" > $@.tmp && mv $@.tmp $@

deps: $(BUILD)/config.mk

# V=1 shows full command lines.
ifeq ($(V),1)
Q =
else
Q = @
endif

$(BUILD)/obj/%.o: %.c $(BUILD)/config.mk
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(ALL_CFLAGS) -c $< -o $@

$(LIB): $(LIB_OBJS)
	@mkdir -p $(dir $@)
	$(Q)rm -f $@
	$(Q)ar rcs $@ $^

$(BIN): $(CLI_OBJS) $(LIB)
	@$(if $(Q),echo "  LINK    $@")
	$(Q)$(CC) $(SAN_LDFLAGS) $(LDFLAGS) -o $@ $(CLI_OBJS) $(LIB) $(LDLIBS_ALL)

$(BUILD)/tests/%: tests/unit/%.c $(LIB) $(TESTLIB_OBJS) $(BUILD)/config.mk
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  LINK    $@")
	$(Q)$(CC) $(ALL_CFLAGS) -Itests/lib $(TEST_CFLAGS) $(SAN_LDFLAGS) -o $@ $< $(TESTLIB_OBJS) $(LIB) $(LDLIBS_ALL) $(TEST_LIBS)

$(BUILD)/tests/itest_%: tests/integration/itest_%.c $(LIB) $(TESTLIB_OBJS) $(BUILD)/config.mk
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  LINK    $@")
	$(Q)$(CC) $(ALL_CFLAGS) -Itests/lib $(TEST_CFLAGS) $(SAN_LDFLAGS) -o $@ $< $(TESTLIB_OBJS) $(LIB) $(LDLIBS_ALL) $(TEST_LIBS)

$(BUILD)/bench/%: bench/%.c $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(SAN_LDFLAGS) -o $@ $< $(LIB) $(LDLIBS_ALL)

unit: $(UNIT_BINS)
	@sh tests/run-tests.sh unit $(UNIT_BINS)

integration: $(BIN) $(INTEG_BINS)
	@sh tests/run-tests.sh integration $(INTEG_BINS)

test: $(BIN) $(UNIT_BINS) $(INTEG_BINS)
	@sh tests/run-all.sh $(BUILD)

run: $(BIN)
	./$(BIN) demo

# README screenshots from real runs of the demo (tmux, aha, chromium).
screenshots: $(BIN)
	sh scripts/screenshots.sh $(BIN)

check-asan:
	$(MAKE) BUILD=build/asan SAN=1 CFLAGS="-O1 -g" test

# The unit suite under valgrind: any leak or memory error fails.
check-valgrind: $(UNIT_BINS)
	@sh tests/run-valgrind.sh $(UNIT_BINS)

# libFuzzer targets, built with clang into their own tree (build/fuzz).
FUZZ_SRCS = $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_BINS = $(FUZZ_SRCS:tests/fuzz/%.c=$(BUILD)/fuzz/%)

$(BUILD)/fuzz/%: tests/fuzz/%.c $(LIB)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  FUZZ    $@")
	$(Q)$(CC) $(ALL_CFLAGS) -fsanitize=fuzzer,address,undefined -o $@ $< $(LIB) $(LDLIBS_ALL)

fuzzers: $(FUZZ_BINS)

fuzz-build:
	$(MAKE) BUILD=build/fuzz CC=clang \
	    CFLAGS="-O1 -g -fsanitize=fuzzer-no-link,address,undefined" fuzzers

fuzz: fuzz-build
	@sh tests/fuzz/run.sh build/fuzz/fuzz $(FUZZ_SECONDS)

bench: $(BENCH_BINS)
	@for b in $(BENCH_BINS); do echo "== $$b"; ./$$b || exit 1; done

# The fault-injection soak (bench/soak.c; not one of the benchmarks):
# SOAK_ROUTES, SOAK_SECONDS, SOAK_KILL_SECONDS, SOAK_QUIET_SECONDS,
# SOAK_FAULTS shorten or change it.
soak: $(BIN) $(BUILD)/bench/soak
	./$(BUILD)/bench/soak ./$(BIN)

install: $(BIN)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/latticectl/themes
	install -m 0755 $(BIN) $(DESTDIR)$(PREFIX)/bin/latticectl
	if ls themes/*.yaml >/dev/null 2>&1; then install -m 0644 themes/*.yaml $(DESTDIR)$(PREFIX)/share/latticectl/themes/; fi

clean:
	rm -rf build

-include $(LIB_OBJS:.o=.d) $(CLI_OBJS:.o=.d)
