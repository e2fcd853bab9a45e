/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * Unbrick's test switches, all of them, read here and nowhere else. They
 * take effect only in a self-test run, one whose environment has
 * UNBRICK_SELF_TEST=1 (as fwupd has FWUPD_SELF_TEST): the test harness sets
 * it, a user never does, and a stray switch in a user's environment changes
 * nothing in the shipped binary.
 */
#define UB_SELF_TEST "UNBRICK_SELF_TEST"

/* a fake sysfs tree instead of /sys (devices/) */
#define UB_SELF_TEST_SYSFS_ROOT "UNBRICK_SYSFS_ROOT"
/* "1": the catalog and downloads may use 127.0.0.1 (firmware/'s host
 * policy), where the tests' servers listen */
#define UB_SELF_TEST_ALLOW_LOOPBACK "UNBRICK_ALLOW_LOOPBACK"
/* how much faster than real time simulated devices and replays run */
#define UB_SELF_TEST_SIM_TIME_SCALE "UNBRICK_SIM_TIME_SCALE"
/* "1": a demo device restores through the real engine class (running a
 * fake idevicerestore) instead of a replay */
#define UB_SELF_TEST_SIM_REAL_ENGINE "UNBRICK_SIM_REAL_ENGINE"
/* set: the window prints its timings for tests/bench */
#define UB_SELF_TEST_BENCH "UNBRICK_BENCH"

/* whether this is a self-test run */
gboolean
ub_self_test_is_enabled(void);
/* the switch @name (one of the above) in a self-test run; NULL otherwise,
 * or when it is unset or empty */
const gchar *
ub_self_test_get(const gchar *name);
/* whether the switch @name is "1" in a self-test run */
gboolean
ub_self_test_get_flag(const gchar *name);

G_END_DECLS
