# Fuzzing with libFuzzer (Debian's clang; libFuzzer is in libclang-rt-14-dev).
# Included by the Makefile. `make fuzz` builds the harnesses in build/fuzz/ and
# runs each one for FUZZ_SECONDS (default 60); see tests/fuzz/README.md.
#   make fuzz FUZZ_SECONDS=600        longer runs
#   make fuzz FUZZ_TARGETS=fuzz_spec  one harness only
#   make fuzz-build                   build the harnesses, run nothing
#   make fuzz-replay                  run the recorded reproducers (tests/fuzz/crashes/)

FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?= fuzz_spec fuzz_markdown fuzz_build
FUZZ_SAN     := -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
FUZZ_CFLAGS  := -std=c11 -D_GNU_SOURCE -DHD_VERSION='"$(VERSION)"' -DHD_DATADIR='"$(PREFIX)/share/handout"' \
                -O1 -g $(WARN) -Wno-format-nonliteral $(PKG_CFLAGS) $(HPDF_CFLAGS) $(FUZZ_SAN) -MMD -MP
FUZZ_OBJS    := $(LIB_SRCS:src/%.c=build/fuzz/obj/%.o)
FUZZ_BINS    := $(FUZZ_TARGETS:%=build/fuzz/%)

.PHONY: fuzz-build fuzz-replay
.SECONDARY: $(FUZZ_OBJS)
fuzz-build: fuzz-deps $(FUZZ_BINS)

fuzz: fuzz-deps $(FUZZ_BINS) fonts
	@FUZZ_SECONDS=$(FUZZ_SECONDS) tests/fuzz/run.sh $(FUZZ_TARGETS)

fuzz-replay: fuzz-deps $(FUZZ_BINS) fonts
	@tests/fuzz/run.sh --replay $(FUZZ_TARGETS)

# The program's sources get coverage instrumentation (fuzzer-no-link);
# the harnesses link libFuzzer's main.
build/fuzz/obj/%.o: src/%.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<

build/fuzz/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz_common.h $(FUZZ_OBJS)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -Isrc -DHD_FUZZ_ROOT='"$(CURDIR)"' \
	  -o $@ $< $(FUZZ_OBJS) $(LDLIBS_ALL)

-include $(FUZZ_OBJS:.o=.d) $(FUZZ_BINS:=.d)
