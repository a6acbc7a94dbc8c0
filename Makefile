# Maillage — build, run and test. See README.md.
CC      ?= cc
PKGS    := libmicrohttpd sqlite3 libsodium jansson md4c yaml-0.1 libcurl libmagic \
           poppler-glib libarchive expat libseccomp libcrypto gmime-3.0 libical
CFLAGS  ?= -O2 -g
CFLAGS  += -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -pthread \
           $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
LDLIBS  := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lstemmer -lm -pthread
SAN     := -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=undefined \
           -fno-omit-frame-pointer

SRC     := $(sort $(wildcard src/*.c))
LIB_SRC := $(filter-out src/main.c,$(SRC))
SCHEMA  := $(sort $(wildcard src/schema/*.sql))
HDR     := $(wildcard src/*.h)
TEST_HDR := $(HDR) $(wildcard tests/*.h tests/*/*.h)
TEST_COMMON := tests/test.c tests/spec.c tests/replies.c

OBJ      := $(SRC:src/%.c=build/%.o) build/schema.o
LIB_OBJ  := $(LIB_SRC:src/%.c=build/%.o) build/schema.o
ASAN_LIB := $(LIB_SRC:src/%.c=build/asan/%.o) build/asan/schema.o

TESTS := build/asan/test_unit build/asan/test_pages build/asan/test_integration
FUZZ  := build/fuzz/fuzz_markdown build/fuzz/fuzz_front build/fuzz/fuzz_template \
         build/fuzz/fuzz_form build/fuzz/fuzz_csv build/fuzz/fuzz_search build/fuzz/fuzz_extract \
         build/fuzz/fuzz_mailin
FUZZ_CFLAGS := -std=c11 -D_GNU_SOURCE -g -O1 -fsanitize=fuzzer,address,undefined \
               -fno-sanitize-recover=undefined $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
FUZZ_SRC := src/markdown.c src/front.c src/buf.c src/html.c src/text.c src/template.c src/req.c src/upload.c src/log.c \
            src/arena.c src/csv.c src/extract.c tests/safety.c

# Quiet build lines; "make V=1" shows the whole commands.
ifeq ($(V),1)
Q :=
say = @true
else
Q := @
say = @echo "  $(1) $(2)"
endif

.PHONY: all deps test-deps run test fuzz bench clean install uninstall

# Where make install puts Maillage (DESTDIR is prepended, for packaging).
PREFIX  ?= /usr/local
SHARE   := $(DESTDIR)$(PREFIX)/share/maillage
all: maillage

maillage: build/maillage
	$(Q)cp $< $@.tmp && mv -f $@.tmp $@

build/maillage: $(OBJ)
	$(call say,LD,$@)
	$(Q)$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)

build/%.o: src/%.c $(HDR) | build
	$(call say,CC,$@)
	$(Q)$(CC) $(CFLAGS) -c -o $@ $<

build/schema.c: $(SCHEMA) src/schema/embed.awk | build
	$(Q)awk -f src/schema/embed.awk $(SCHEMA) > $@.tmp && mv $@.tmp $@

build/schema.o: build/schema.c
	$(call say,CC,$@)
	$(Q)$(CC) $(CFLAGS) -c -o $@ $<

build/asan/%.o: src/%.c $(HDR) | build/asan
	$(call say,CC,$@)
	$(Q)$(CC) $(CFLAGS) $(SAN) -c -o $@ $<

build/asan/schema.o: build/schema.c
	$(call say,CC,$@)
	$(Q)$(CC) $(CFLAGS) $(SAN) -c -o $@ $<

build/asan/maillage: build/asan/main.o $(ASAN_LIB)
	$(call say,LD,$@)
	$(Q)$(CC) $(CFLAGS) $(SAN) -o $@ $^ $(LDLIBS)

build/asan/test_unit: $(wildcard tests/unit/*.c) $(TEST_COMMON) tests/safety.c $(ASAN_LIB) \
		$(TEST_HDR) build/asan/maillage
	$(call say,LD,$@)
	$(Q)$(CC) $(CFLAGS) $(SAN) -o $@ $(filter %.c %.o,$^) $(LDLIBS)

build/asan/test_pages: $(wildcard tests/pages/*.c) $(TEST_COMMON) $(ASAN_LIB) $(TEST_HDR)
	$(call say,LD,$@)
	$(Q)$(CC) $(CFLAGS) $(SAN) -o $@ $(filter %.c %.o,$^) $(LDLIBS)

build/asan/test_integration: $(wildcard tests/integration/*.c) $(TEST_COMMON) $(TEST_HDR) \
		build/asan/maillage
	$(call say,LD,$@)
	$(Q)$(CC) $(CFLAGS) $(SAN) -o $@ $(filter %.c,$^) src/buf.c $(LDLIBS)

build/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_SRC) $(TEST_HDR) | build/fuzz
	$(call say,FUZZ,$@)
	$(Q)clang $(FUZZ_CFLAGS) -o $@ $< $(FUZZ_SRC) $(LDLIBS)

# The search and mail-in targets need the database and the whole library.
build/fuzz/fuzz_search build/fuzz/fuzz_mailin: build/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(LIB_SRC) \
		build/schema.c $(TEST_HDR) | build/fuzz
	$(call say,FUZZ,$@)
	$(Q)clang $(FUZZ_CFLAGS) -o $@ $< $(LIB_SRC) build/schema.c $(LDLIBS)

build build/asan build/fuzz:
	$(Q)mkdir -p $@

deps:
	@./deploy/install-deps.sh

test-deps:
	@./deploy/install-deps.sh --test

# Serves the demo network on http://127.0.0.1:8080 (creating it once).
run: deps
	@$(MAKE) --no-print-directory all
	@[ -f data/maillage.db ] || ./maillage init --demo --db data/maillage.db
	@echo; cat data/demo-accounts.txt 2>/dev/null; echo
	./maillage serve --db data/maillage.db --listen 127.0.0.1:8080

# Builds with sanitizers and runs every test; ends with "N passed, N failed".
test: test-deps
	@$(MAKE) --no-print-directory -j$$(nproc) all $(TESTS) $(FUZZ)
	@FUZZ_SEED=$${FUZZ_SEED:-1} sh tests/run.sh "python3 tests/layers/check.py" $(TESTS) \
		"sh tests/fuzz/run.sh $(FUZZ)" "sh tests/e2e/run.sh"

# The benchmark (not a test): optimised build, results in bench/results/.
# wrk and nginx-light come with it (deploy/install-deps.sh --bench).
bench:
	@./deploy/install-deps.sh --bench
	@$(MAKE) --no-print-directory all build/md_bench build/search_bench build/http_bench \
		build/file_bench build/prepare_bench
	@mkdir -p bench/results
	@./build/md_bench build/bench-md.md
	@./build/search_bench build/bench build/bench-search.md
	@./build/http_bench build/bench/search.db build/bench-http build/bench-http.md
	@./build/file_bench build/bench-files build/bench-files.md
	@./build/prepare_bench build/bench-prepare build/bench-prepare.md
	@cat build/bench-md.md build/bench-search.md build/bench-http.md build/bench-files.md \
		build/bench-prepare.md > bench/results/latest.md
	@cat bench/results/latest.md

build/search_bench: bench/search_bench.c bench/bench.c bench/bench.h $(LIB_OBJ) $(HDR) | build
	$(call say,LD,$@)
	$(Q)$(CC) $(CFLAGS) -o $@ $(filter %.c %.o,$^) $(LDLIBS)

build/file_bench: bench/file_bench.c bench/bench.c bench/bench.h $(LIB_OBJ) $(HDR) | build
	$(call say,LD,$@)
	$(Q)$(CC) $(CFLAGS) -o $@ $(filter %.c %.o,$^) $(LDLIBS)

build/prepare_bench: bench/prepare_bench.c bench/bench.c bench/bench.h tests/replies.c $(LIB_OBJ) \
		$(HDR) | build
	$(call say,LD,$@)
	$(Q)$(CC) $(CFLAGS) -o $@ $(filter %.c %.o,$^) $(LDLIBS)

build/http_bench: bench/http_bench.c bench/bench.c bench/bench.h $(LIB_OBJ) $(HDR) | build
	$(call say,LD,$@)
	$(Q)$(CC) $(CFLAGS) -o $@ $(filter %.c %.o,$^) $(LDLIBS)

build/md_bench: bench/md_bench.c bench/bench.h src/markdown.c src/buf.c src/html.c src/text.c $(HDR) | build
	$(call say,LD,$@)
	$(Q)$(CC) -std=c11 -D_GNU_SOURCE -O2 -g -Wall -Wextra -Werror -o $@ $(filter %.c,$^) $(LDLIBS)

# Runs the fuzz targets for longer (FUZZ_SECONDS, default 600 each).
fuzz: test-deps
	@$(MAKE) --no-print-directory $(FUZZ)
	@FUZZ_SECONDS=$${FUZZ_SECONDS:-600} sh tests/fuzz/run.sh $(FUZZ)

# Installs the binary, its templates and assets, the demo content and the
# manual page under $(DESTDIR)$(PREFIX).
install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(SHARE) $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 maillage $(DESTDIR)$(PREFIX)/bin/maillage
	rm -rf $(SHARE)/templates $(SHARE)/content
	cp -R templates content $(SHARE)/
	chmod -R u=rwX,go=rX $(SHARE)
	install -m 644 docs/maillage.1 $(DESTDIR)$(PREFIX)/share/man/man1/maillage.1
	install -m 755 deploy/maillage-backup.sh $(SHARE)/maillage-backup.sh

# Removes what make install put (databases are never touched).
uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/maillage $(DESTDIR)$(PREFIX)/share/man/man1/maillage.1
	rm -rf $(SHARE)

clean:
	rm -rf build maillage
