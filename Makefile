# Copyright 2026 The Unbrick Authors
# SPDX-License-Identifier: GPL-3.0-or-later

# A thin wrapper: meson is the build. These targets also install the Debian
# packages the project needs (debian-packages.txt) when they are missing.

BUILDDIR ?= _build
SANITIZE_BUILDDIR ?= _build-sanitize
FUZZ_BUILDDIR ?= _build-fuzz
FUZZ_SECONDS ?= 30
MESON_TEST_ARGS ?= --print-errorlogs

.PHONY: all deps build run check check-sanitize fuzz bench format format-check clean screenshots

all: build

deps:
	@./tools/install-deps.sh

$(BUILDDIR)/build.ninja:
	meson setup $(BUILDDIR)

build: deps $(BUILDDIR)/build.ninja
	meson compile -C $(BUILDDIR)

run: build
	GSETTINGS_SCHEMA_DIR=$(CURDIR)/$(BUILDDIR)/data $(BUILDDIR)/src/unbrick $(ARGS)

check: build
	meson test -C $(BUILDDIR) $(MESON_TEST_ARGS)

$(SANITIZE_BUILDDIR)/build.ninja:
	meson setup $(SANITIZE_BUILDDIR) -Db_sanitize=address,undefined -Db_lundef=false

check-sanitize: deps $(SANITIZE_BUILDDIR)/build.ninja
	meson compile -C $(SANITIZE_BUILDDIR)
	UB_UI_SLOWDOWN=4 \
	UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	ASAN_OPTIONS=detect_leaks=1:fast_unwind_on_malloc=0 \
	LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp \
	meson test -C $(SANITIZE_BUILDDIR) $(MESON_TEST_ARGS)

$(FUZZ_BUILDDIR)/build.ninja:
	CC=clang meson setup $(FUZZ_BUILDDIR) -Dfuzz=true -Db_sanitize=address,undefined -Db_lundef=false

# libFuzzer on the engine parser and the restore report for FUZZ_SECONDS;
# the project's real logs (tests/data/idevicerestore-logs) seed it, new
# finds stay in $(FUZZ_BUILDDIR)/fuzz-corpus
fuzz: deps $(FUZZ_BUILDDIR)/build.ninja
	meson compile -C $(FUZZ_BUILDDIR) fuzz-engine-parser
	mkdir -p $(FUZZ_BUILDDIR)/fuzz-corpus
	UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	$(FUZZ_BUILDDIR)/tests/fuzz/fuzz-engine-parser \
		-max_total_time=$(FUZZ_SECONDS) -dict=tests/fuzz/engine-parser.dict \
		$(FUZZ_BUILDDIR)/fuzz-corpus tests/data/idevicerestore-logs

# both benchmarks always run; the target fails if either missed a goal
bench: build
	meson compile -C $(BUILDDIR) adw-minimal ub-fetch
	status=0; \
	tests/ui/xvfb-session.sh /usr/bin/python3 tests/bench/startup.py $(BUILDDIR) || status=1; \
	/usr/bin/python3 tests/bench/download.py $(BUILDDIR) || status=1; \
	exit $$status

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

format-check:
	clang-format --dry-run --Werror $$(git ls-files '*.c' '*.h')

clean:
	rm -rf $(BUILDDIR) $(SANITIZE_BUILDDIR) $(FUZZ_BUILDDIR)

# the pictures the metainfo shows, taken by the UI tests
SCREENSHOTS = empty recovery two-devices not-detected firmware restore-running restore-success restore-failure explain-log troubleshooting-search troubleshoot-symptom remediation-card guide-intro guide-countdown guide-countdown-ipad guide-outcome guide-success preflight-warning device-engine-missing flatpak-host-setup flatpak-dfu-without-hotplug failed-update failed-erase device-engine-too-old guide-iphone8 guide-narrow
screenshots: build
	meson test -C $(BUILDDIR) --suite ui $(MESON_TEST_ARGS)
	for shot in $(SCREENSHOTS); do \
		cp $(BUILDDIR)/tests/ui/screenshots/$$shot.png data/screenshots/; \
	done
