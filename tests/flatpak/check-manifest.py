#!/usr/bin/python3
# Copyright 2026 The Unbrick Authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Checks the rules the Flatpak manifest must keep that flatpak-builder itself
# does not: every source pinned, only justified sandbox holes, the engine's
# modules present and in build order, the build options that matter to the
# sandbox. Prints TAP, one case per rule; exits 1 when a rule is broken.
#
#   check-manifest.py MANIFEST              check the manifest
#   check-manifest.py --self-test MANIFEST  break copies of it and make sure
#                                           each break is caught
#
# Debian's python3, standard library only.

import copy
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

APP_ID = 'io.github.unbrick.Unbrick'
RUNTIME = 'org.gnome.Platform'
RUNTIME_VERSION = '51'
SDK = 'org.gnome.Sdk'

# every hole in the sandbox, with why; the README's Flatpak section says the same
FINISH_ARGS = {
    # firmware catalogs and IPSW downloads, Apple's signing server (TSS); the
    # host network namespace is also where the kernel's USB uevents arrive
    '--share=network',
    # X11 shared memory, needed with fallback-x11
    '--share=ipc',
    '--socket=wayland',
    # X11 only where there is no Wayland
    '--socket=fallback-x11',
    # GPU rendering for GTK
    '--device=dri',
    # the device itself, over libusb, in Recovery, DFU and restore mode
    '--device=usb',
    # Flatpak older than 1.16 has no usb device: all devices there instead
    '--device-if=all:!has-usb-device',
    # the host's usbmuxd socket: normal-mode devices, and restore mode
    '--filesystem=/run/usbmuxd',
}

# the engine's modules and what each needs built before it
DEPENDS = {
    'libplist': [],
    'libimobiledevice-glue': ['libplist'],
    'libusbmuxd': ['libplist', 'libimobiledevice-glue'],
    'libtatsu': ['libplist'],
    'libimobiledevice': ['libplist', 'libimobiledevice-glue', 'libusbmuxd', 'libtatsu'],
    'libusb': [],
    'libirecovery': ['libimobiledevice-glue', 'libusb'],
    'libzip': [],
    'idevicerestore': [
        'libplist',
        'libimobiledevice-glue',
        'libusbmuxd',
        'libtatsu',
        'libimobiledevice',
        'libirecovery',
        'libzip',
    ],
}
ENGINE_MODULES = list(DEPENDS)

# their configure.ac takes its version from `git describe`, which a shallow
# clone cannot answer: AC_INIT(..., m4_esyscmd(./git-version-gen $RELEASE_VERSION))
GIT_VERSION_GEN_MODULES = [
    'libplist',
    'libimobiledevice-glue',
    'libusbmuxd',
    'libtatsu',
    'libimobiledevice',
    'libirecovery',
    'idevicerestore',
]

HEX40 = re.compile(r'^[0-9a-f]{40}$')
HEX64 = re.compile(r'^[0-9a-f]{64}$')


def flatten_modules(modules, base_dir, out):
    """modules in build order: nested modules build before their parent"""
    for module in modules or []:
        if isinstance(module, str):
            path = os.path.join(base_dir, module)
            with open(path, encoding='utf-8') as f:
                module = json.load(f)
            flatten_modules(module.get('modules'), os.path.dirname(path), out)
        else:
            flatten_modules(module.get('modules'), base_dir, out)
        out.append(module)
    return out


def config_opts(module):
    return list(module.get('config-opts', [])) + list(
        module.get('build-options', {}).get('config-opts', [])
    )


def module_env(module):
    return module.get('build-options', {}).get('env', {})


def module_name(module):
    return module.get('name', '(unnamed module)')


def check_runtime(manifest, modules, base_dir):
    errors = []
    for key, want in (('runtime', RUNTIME), ('runtime-version', RUNTIME_VERSION), ('sdk', SDK)):
        if manifest.get(key) != want:
            errors.append('%s is %r, not %r' % (key, manifest.get(key), want))
    return errors


def check_app(manifest, modules, base_dir):
    errors = []
    app_id = manifest.get('id', manifest.get('app-id'))
    if app_id != APP_ID:
        errors.append('id is %r, not %r' % (app_id, APP_ID))
    if manifest.get('command') != 'unbrick':
        errors.append('command is %r, not \'unbrick\'' % manifest.get('command'))
    if not modules:
        return errors + ['no modules']
    last = modules[-1]
    if module_name(last) != 'unbrick':
        errors.append('the last module is %s, not unbrick' % module_name(last))
    if last.get('buildsystem') != 'meson':
        errors.append('unbrick: buildsystem is %r, not meson' % last.get('buildsystem'))
    if '-Dui_tests=disabled' not in config_opts(last):
        errors.append('unbrick: config-opts lack -Dui_tests=disabled')
    # udev inside /app is never read: the host installs the rules itself
    # (setup-host.sh), so a native install's rules must stay out
    if '-Dudev_rules=false' not in config_opts(last):
        errors.append('unbrick: config-opts lack -Dudev_rules=false')
    sources = last.get('sources', [])
    if not any(s.get('type') == 'dir' and s.get('path') == '..' for s in sources):
        errors.append('unbrick: no {"type": "dir", "path": ".."} source')
    return errors


def check_finish_args(manifest, modules, base_dir):
    errors = []
    args = manifest.get('finish-args', [])
    for arg in args:
        if arg not in FINISH_ARGS:
            errors.append('finish-arg %s is not on the justified list' % arg)
    for arg in sorted(FINISH_ARGS - set(args)):
        errors.append('finish-arg %s is missing' % arg)
    return errors


def each_source(modules):
    for index, module in enumerate(modules):
        for source in module.get('sources', []):
            if isinstance(source, str):
                # a JSON file of sources; not used here, and unchecked
                yield index, module, {'type': '(file %s)' % source}
            else:
                yield index, module, source


def check_git_commit(manifest, modules, base_dir):
    errors = []
    for _, module, source in each_source(modules):
        if source.get('type') != 'git':
            continue
        commit = source.get('commit')
        if commit is None:
            errors.append('%s: git source %s has no commit' % (module_name(module), source.get('url')))
        elif not HEX40.match(commit):
            errors.append('%s: commit %r is not 40 hex digits' % (module_name(module), commit))
        if 'branch' in source:
            errors.append('%s: git source follows branch %s' % (module_name(module), source['branch']))
    return errors


def check_tag_commit(manifest, modules, base_dir):
    errors = []
    for _, module, source in each_source(modules):
        if source.get('type') == 'git' and 'tag' in source and 'commit' not in source:
            errors.append('%s: tag %s without commit' % (module_name(module), source['tag']))
    return errors


def check_git_url(manifest, modules, base_dir):
    errors = []
    for _, module, source in each_source(modules):
        if source.get('type') == 'git':
            url = source.get('url', '')
            if not url.startswith('https://'):
                errors.append('%s: git url %r is not https' % (module_name(module), url))
    return errors


def check_archive_sha256(manifest, modules, base_dir):
    errors = []
    for _, module, source in each_source(modules):
        kind = source.get('type')
        if kind == 'archive' or (kind == 'file' and 'url' in source):
            if not HEX64.match(source.get('sha256', '')):
                errors.append(
                    '%s: %s source %s has no 64-hex sha256'
                    % (module_name(module), kind, source.get('url', source.get('path')))
                )
    return errors


def check_dir_sources(manifest, modules, base_dir):
    errors = []
    for index, module, source in each_source(modules):
        if source.get('type') == 'dir' and index != len(modules) - 1:
            errors.append('%s: dir source %s in a module other than the app' % (module_name(module), source.get('path')))
    return errors


def check_local_files(manifest, modules, base_dir):
    errors = []
    for _, module, source in each_source(modules):
        if source.get('type') in ('patch', 'file') and 'path' in source:
            if not os.path.isfile(os.path.join(base_dir, source['path'])):
                errors.append('%s: %s %s does not exist' % (module_name(module), source['type'], source['path']))
    return errors


def check_engine_modules(manifest, modules, base_dir):
    errors = []
    position = {}
    for index, module in enumerate(modules):
        position.setdefault(module_name(module), index)
    for name in ENGINE_MODULES:
        if name not in position:
            errors.append('module %s is missing' % name)
    for name, needs in DEPENDS.items():
        if name not in position:
            continue
        for need in needs:
            if need in position and position[need] > position[name]:
                errors.append('module %s comes after %s, which needs it' % (need, name))
    # the app needs them all; check_app makes sure it is the last module
    return errors


def find_module(modules, name):
    for module in modules:
        if module_name(module) == name:
            return module
    return None


def check_libirecovery(manifest, modules, base_dir):
    module = find_module(modules, 'libirecovery')
    if module is None:
        return ['module libirecovery is missing']
    errors = []
    opts = config_opts(module)
    if '--without-udev' not in opts:
        errors.append('libirecovery: config-opts lack --without-udev')
    for opt in opts:
        # each of these turns udev rules back on (configure.ac: "implies --with-udev")
        if opt == '--with-udev' or opt.startswith(('--with-udevrulesdir', '--with-udevrule=')):
            errors.append('libirecovery: config-opt %s turns udev on' % opt)
        # at 04d04f7 configure then dies: conditional "HAVE_READLINE" was never defined
        if opt in ('--without-tools', '--with-tools=no'):
            errors.append('libirecovery: config-opt %s breaks its configure' % opt)
    return errors


def check_cython(manifest, modules, base_dir):
    errors = []
    for name in ('libplist', 'libimobiledevice'):
        module = find_module(modules, name)
        if module is None:
            errors.append('module %s is missing' % name)
        elif '--without-cython' not in config_opts(module):
            errors.append('%s: config-opts lack --without-cython' % name)
    return errors


def check_libusb(manifest, modules, base_dir):
    module = find_module(modules, 'libusb')
    if module is None:
        return ['module libusb is missing']
    errors = []
    if '--disable-udev' not in config_opts(module):
        errors.append('libusb: config-opts lack --disable-udev')
    patches = [s.get('path') for s in module.get('sources', []) if isinstance(s, dict) and s.get('type') == 'patch']
    if 'libusb-sandbox-uevents.patch' not in patches:
        errors.append('libusb: libusb-sandbox-uevents.patch is not applied')
    return errors


def check_release_version(manifest, modules, base_dir):
    errors = []
    for name in GIT_VERSION_GEN_MODULES:
        module = find_module(modules, name)
        if module is None:
            continue  # check_engine_modules reports it
        version = module_env(module).get('RELEASE_VERSION')
        if not version:
            errors.append('%s: build-options env lacks RELEASE_VERSION' % name)
            continue
        git = [s for s in module.get('sources', []) if isinstance(s, dict) and s.get('type') == 'git']
        if not git:
            continue
        tag, commit = git[0].get('tag'), git[0].get('commit')
        # what `git describe --tags` says at the pinned commit
        if tag is not None:
            if version != tag.removeprefix('v'):
                errors.append('%s: RELEASE_VERSION %s does not match tag %s' % (name, version, tag))
        elif commit is None:
            continue  # check_git_commit reports it
        elif not re.match(r'^[0-9][0-9.]*-[0-9]+-g' + re.escape(commit[:7]) + '$', version):
            errors.append('%s: RELEASE_VERSION %s does not name commit %s' % (name, version, commit[:7]))
    return errors


RULES = [
    ('runtime', 'runtime is %s %s with %s' % (RUNTIME, RUNTIME_VERSION, SDK), check_runtime),
    ('app', 'the app is %s, its own module last' % APP_ID, check_app),
    ('finish-args', 'finish-args are exactly the justified ones', check_finish_args),
    ('git-commit', 'every git source pins a 40-hex commit', check_git_commit),
    ('tag-commit', 'no git source has a tag without a commit', check_tag_commit),
    ('git-url', 'every git source is fetched over https', check_git_url),
    ('archive-sha256', 'every archive source has a 64-hex sha256', check_archive_sha256),
    ('dir-source', 'only the app\'s own module has a dir source', check_dir_sources),
    ('local-files', 'patch and file sources exist beside the manifest', check_local_files),
    ('engine-modules', 'the engine\'s modules are all there, in build order', check_engine_modules),
    ('libirecovery-udev', 'libirecovery is built --without-udev, and configures', check_libirecovery),
    ('cython', 'libplist and libimobiledevice are built --without-cython', check_cython),
    ('libusb', 'libusb is built --disable-udev with the sandbox uevent patch', check_libusb),
    ('release-version', 'git-version-gen modules get RELEASE_VERSION matching their pin', check_release_version),
]


def run_rules(manifest, base_dir):
    """[(rule id, description, [errors])] for one manifest"""
    modules = flatten_modules(manifest.get('modules'), base_dir, [])
    return [(rule_id, text, check(manifest, modules, base_dir)) for rule_id, text, check in RULES]


def load(path):
    with open(path, encoding='utf-8') as f:
        return json.load(f)


def check_main(path):
    try:
        manifest = load(path)
    except (OSError, ValueError) as e:
        print('1..1')
        print('not ok 1 - manifest loads')
        print('# %s: %s' % (path, e))
        print('check-manifest: %s: %s' % (path, e), file=sys.stderr)
        return 1
    results = run_rules(manifest, os.path.dirname(os.path.abspath(path)))
    print('1..%d' % len(results))
    failed = 0
    for number, (rule_id, text, errors) in enumerate(results, 1):
        if errors:
            failed += 1
            print('not ok %d - %s (%s)' % (number, text, rule_id))
            for error in errors:
                print('# %s' % error)
                print('check-manifest: %s' % error, file=sys.stderr)
        else:
            print('ok %d - %s' % (number, text))
    return 1 if failed else 0


# --self-test: each breaks a copy of the manifest and names the rules that must catch it


def module_of(manifest, name):
    for module in manifest['modules']:
        if isinstance(module, dict) and module.get('name') == name:
            return module
    raise KeyError('the manifest has no module %s to break' % name)


def unpin(manifest):
    for source in module_of(manifest, 'libtatsu')['sources']:
        source.pop('commit', None)


def tag_only(manifest):
    for source in module_of(manifest, 'libplist')['sources']:
        source.pop('commit', None)


def follow_branch(manifest):
    source = module_of(manifest, 'libirecovery')['sources'][0]
    source['branch'] = 'master'


def short_commit(manifest):
    source = module_of(manifest, 'idevicerestore')['sources'][0]
    source['commit'] = source['commit'][:7]


def filesystem_home(manifest):
    manifest['finish-args'].append('--filesystem=home')


def drop_usb(manifest):
    manifest['finish-args'].remove('--device=usb')


def drop_libtatsu(manifest):
    manifest['modules'].remove(module_of(manifest, 'libtatsu'))


def libzip_last(manifest):
    libzip = module_of(manifest, 'libzip')
    manifest['modules'].remove(libzip)
    manifest['modules'].insert(len(manifest['modules']) - 1, libzip)


def udevrulesdir(manifest):
    module_of(manifest, 'libirecovery')['config-opts'].append('--with-udevrulesdir=/app/lib/udev/rules.d')


def no_without_udev(manifest):
    module_of(manifest, 'libirecovery')['config-opts'].remove('--without-udev')


def irecovery_without_tools(manifest):
    module_of(manifest, 'libirecovery')['config-opts'].append('--without-tools')


def cython(manifest):
    module_of(manifest, 'libimobiledevice')['config-opts'].remove('--without-cython')


def no_release_version(manifest):
    del module_of(manifest, 'idevicerestore')['build-options']['env']['RELEASE_VERSION']


def stale_release_version(manifest):
    source = module_of(manifest, 'libirecovery')['sources'][0]
    source['commit'] = '0' * 40


def archive_without_sha256(manifest):
    module_of(manifest, 'libzip')['sources'] = [
        {'type': 'archive', 'url': 'https://libzip.org/download/libzip-1.11.4.tar.xz'}
    ]


def dir_in_engine(manifest):
    module_of(manifest, 'libusb')['sources'].append({'type': 'dir', 'path': '../libusb'})


def runtime_50(manifest):
    manifest['runtime-version'] = '50'


def libusb_unpatched(manifest):
    libusb = module_of(manifest, 'libusb')
    libusb['sources'] = [s for s in libusb['sources'] if s.get('type') != 'patch']


def udev_rules_in_app(manifest):
    module_of(manifest, 'unbrick')['config-opts'].remove('-Dudev_rules=false')


def missing_patch_file(manifest):
    module_of(manifest, 'libusb')['sources'].append({'type': 'patch', 'path': 'no-such.patch'})


BREAKS = [
    ('an unpinned module (libtatsu without commit)', unpin, {'git-commit'}),
    ('a tag without commit (libplist)', tag_only, {'git-commit', 'tag-commit'}),
    ('a git source following a branch', follow_branch, {'git-commit'}),
    ('a short commit', short_commit, {'git-commit'}),
    ('an extra finish-arg --filesystem=home', filesystem_home, {'finish-args'}),
    ('a missing --device=usb', drop_usb, {'finish-args'}),
    ('a missing libtatsu', drop_libtatsu, {'engine-modules'}),
    ('libzip built after idevicerestore', libzip_last, {'engine-modules'}),
    ('libirecovery with --with-udevrulesdir', udevrulesdir, {'libirecovery-udev'}),
    ('libirecovery without --without-udev', no_without_udev, {'libirecovery-udev'}),
    ('libirecovery with --without-tools', irecovery_without_tools, {'libirecovery-udev'}),
    ('libimobiledevice without --without-cython', cython, {'cython'}),
    ('idevicerestore without RELEASE_VERSION', no_release_version, {'release-version'}),
    ('a RELEASE_VERSION that names another commit', stale_release_version, {'release-version'}),
    ('an archive without sha256', archive_without_sha256, {'archive-sha256'}),
    ('a dir source outside the app module', dir_in_engine, {'dir-source'}),
    ('runtime-version 50', runtime_50, {'runtime'}),
    ('libusb without its patch', libusb_unpatched, {'libusb'}),
    ('a patch file that does not exist', missing_patch_file, {'local-files'}),
    ('unbrick installing udev rules into /app', udev_rules_in_app, {'app'}),
]


def self_test_main(path):
    manifest = load(path)
    base_dir = os.path.dirname(os.path.abspath(path))
    print('1..%d' % (len(BREAKS) + 2))
    failed = 0

    broken_rules = [(rule_id, errors) for rule_id, _, errors in run_rules(manifest, base_dir) if errors]
    if broken_rules:
        failed += 1
        print('not ok 1 - the real manifest passes every rule')
        for rule_id, errors in broken_rules:
            for error in errors:
                print('# %s: %s' % (rule_id, error))
    else:
        print('ok 1 - the real manifest passes every rule')

    for number, (text, breaker, expected) in enumerate(BREAKS, 2):
        broken = copy.deepcopy(manifest)
        breaker(broken)
        results = run_rules(broken, base_dir)
        caught = {rule_id for rule_id, _, errors in results if errors}
        if expected <= caught:
            print('ok %d - catches %s' % (number, text))
            for rule_id, _, errors in results:
                for error in errors:
                    print('# %s: %s' % (rule_id, error))
        else:
            failed += 1
            print('not ok %d - catches %s' % (number, text))
            print('# expected %s to fail, failed: %s' % (', '.join(sorted(expected)), ', '.join(sorted(caught)) or 'none'))
            print('check-manifest: self-test: %s is not caught' % text, file=sys.stderr)

    # the command line too: a broken manifest must exit 1 and say which rule
    number = len(BREAKS) + 2
    broken = copy.deepcopy(manifest)
    filesystem_home(broken)
    with tempfile.TemporaryDirectory() as tmp:
        for _, _, source in each_source(flatten_modules(broken.get('modules'), base_dir, [])):
            if source.get('type') in ('patch', 'file') and 'path' in source:
                copy_path = os.path.join(tmp, source['path'])
                os.makedirs(os.path.dirname(copy_path), exist_ok=True)
                shutil.copy(os.path.join(base_dir, source['path']), copy_path)
        broken_path = os.path.join(tmp, os.path.basename(path))
        with open(broken_path, 'w', encoding='utf-8') as f:
            json.dump(broken, f)
        run = subprocess.run(
            [sys.executable, os.path.abspath(__file__), broken_path],
            capture_output=True,
            text=True,
        )
    if run.returncode == 1 and '--filesystem=home' in run.stderr and 'not ok' in run.stdout:
        print('ok %d - the command line exits 1 and names the finish-arg' % number)
    else:
        failed += 1
        print('not ok %d - the command line exits 1 and names the finish-arg' % number)
        print('# exit %d, stderr: %r' % (run.returncode, run.stderr))
    return 1 if failed else 0


def main(argv):
    if len(argv) == 2 and not argv[1].startswith('-'):
        return check_main(argv[1])
    if len(argv) == 3 and argv[1] == '--self-test':
        return self_test_main(argv[2])
    print('usage: %s [--self-test] MANIFEST' % os.path.basename(argv[0]), file=sys.stderr)
    return 2


if __name__ == '__main__':
    sys.exit(main(sys.argv))
