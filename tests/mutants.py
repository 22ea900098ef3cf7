#!/usr/bin/env python3
"""Mutation testing: named mistakes the suite must catch.

Each mutant is an edit of the product (an exact text, found exactly the
expected number of times, replaced) that breaks it the way a plausible bug
would. The script copies the working tree into a scratch directory, builds
there (only what the mutant's tests need, incrementally from one mutant to
the next), applies one mutant at a time, runs the tests named for it and
restores the file. A mutant is killed when at least one of its tests fails;
one that survives means a test is missing. The source tree is never edited.

  tests/mutants.py              every mutant (about 15 minutes on 2 cores)
  tests/mutants.py --ci         the CI subset (a few minutes)
  tests/mutants.py --list       names, CI membership and descriptions
  tests/mutants.py --check      that every mutant still applies (no build;
                                CI runs it, so an edit of the product that
                                moves a mutated text is found at once)
  tests/mutants.py NAME...      the named mutants only

The scratch tree is build-mutants/ (MUTANTS_DIR to change it); keep it
between runs for incremental builds. Exit status: 0 when every mutant run
was killed, 1 when one survived or failed to build or apply, 2 when the
unmutated tests fail (then the score means nothing). A mutant whose
tests all skip on this machine (a CUDA one where nvcc is missing) is listed
as not run and left out of the score.
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class Mutant:
    def __init__(self, name, what, path, edits, tests, ci=False,
                 build='default'):
        self.name = name
        self.what = what
        self.path = path
        # (old, new, count): a literal text, or a compiled regex
        self.edits = edits
        self.tests = tests
        self.ci = ci
        self.build = build


def edit(old, new, count=1):
    return (old, new, count)


MUTANTS = [
    Mutant('cuda-no-stream-waits',
           'the CUDA event backend neither waits for the copy-in before '
           'computing nor for the compute before the copy-out, nor syncs the '
           'output stream',
           'backends/cuda/gstrkcudaevent.c',
           [edit(re.compile(r'!?e->ops->wait_stream\s*\([^;|]*?error\)'),
                 'TRUE', 6),
            edit('  if (!gst_rk_cuda_stream_sync (e->ops, e->out_stream, '
                 'error))\n    return FALSE;\n\n  for (k = 0;',
                 '  for (k = 0;')],
           ['cuda-runtime', 'conformance-cuda'], ci=True),
    Mutant('cuda-no-input-wait',
           'the CUDA event backend computes without waiting for the copy-in',
           'backends/cuda/gstrkcudaevent.c',
           [edit(re.compile(r'!?e->ops->wait_stream\s*\(e->compute_stream, '
                            r'e->in_stream, error\)'), 'TRUE', 3)],
           ['cuda-runtime', 'conformance-cuda']),
    Mutant('accept-caps-true',
           'the sink pad accepts any caps in ACCEPT_CAPS',
           'plugin/gstrkelement.c',
           [edit('  if (pad == self->sinkpad) {\n    ok = sink_takes',
                 '  if (pad == self->sinkpad) {\n    ok = TRUE || sink_takes')],
           ['elements'], ci=True),
    Mutant('eos-before-error',
           'a marker (EOS) queued after a failed message is delivered '
           'before the error',
           'runtime/gstrkkernel.c',
           [edit('if (m && m->after <= limit && ',
                 'if (m && (limit || TRUE) && ')],
           ['runtime', 'elements', 'bad-input'], ci=True),
    Mutant('ring-publish-relaxed',
           'the ring publishes its head without a release store '
           '(found by TSan)',
           'runtime/gstrkring.c',
           [edit('  p->pos += n;\n  __atomic_store_n (p->head, p->pos, '
                 '__ATOMIC_RELEASE);',
                 '  p->pos += n;\n  __atomic_store_n (p->head, p->pos, '
                 '__ATOMIC_RELAXED);')],
           ['ring'], build='tsan'),
    Mutant('ring-release-relaxed',
           'the ring hands slots back without a release store '
           '(found by TSan)',
           'runtime/gstrkring.c',
           [edit('  c->pos += n;\n  __atomic_store_n (c->tail, c->pos, '
                 '__ATOMIC_RELEASE);',
                 '  c->pos += n;\n  __atomic_store_n (c->tail, c->pos, '
                 '__ATOMIC_RELAXED);')],
           ['ring'], build='tsan'),
    Mutant('frame-stride-off-by-one',
           'GRAY8 rows padded as if one pixel wider',
           'runtime/gstrkframe.c',
           [edit('      stride[0] = GST_ROUND_UP_4 (width);\n'
                 '      total = (guint64) stride[0] * height;',
                 '      stride[0] = GST_ROUND_UP_4 (width + 1);\n'
                 '      total = (guint64) stride[0] * height;')],
           ['frame', 'kernels-video'], ci=True),
    Mutant('hlc-tick-no-increment',
           'an HLC tick within the same microsecond does not advance the '
           'logical part',
           'runtime/gstrkhlc.c',
           [edit('new = MAX (old + 1, MAX (pt, floor));',
                 'new = MAX (old + (floor != 0), MAX (pt, floor));')],
           ['hlc'], ci=True),
    Mutant('flush-keeps-one',
           'a flush leaves the last queued message to be processed',
           'runtime/gstrkkernel.c',
           [edit('  w.target = gst_rk_ring_position (&kernel->in);',
                 '  w.target = gst_rk_ring_position (&kernel->in);\n'
                 '  w.target -= w.target > 0;')],
           ['runtime', 'elements'], ci=True),
    Mutant('cuda-ignores-device-id',
           'the CUDA backend opens device 0 whatever device-id says',
           'backends/cuda/gstrkcudabackend.c',
           [edit('gint index = device_id < 0 ? 0 : device_id;',
                 'gint index = 0;')],
           ['cuda-runtime']),
    Mutant('vulkan-ignores-device-id',
           'the Vulkan backend picks the best device whatever device-id says',
           'backends/vulkan/gstrkvulkandevice.c',
           [edit('chosen = gst_rk_vulkan_choose_device (classes, list->len, '
                 'device_id);',
                 'chosen = gst_rk_vulkan_choose_device (classes, list->len, '
                 '-1);')],
           ['vulkan']),
    Mutant('cpu-ignores-device-id',
           'the CPU backend opens for any device-id',
           'backends/cpu/gstrkcpubackend.c',
           [edit('  if (device_id > 0) {', '  if (FALSE) {')],
           ['launch-options', 'runtime', 'elements']),
    # The library kernels' arithmetic, on the CPU backend
    Mutant('gray-rounding',
           'gray (vector path) adds 1 to every luma',
           'backends/cpu/kernels/gstrkcpugray.c',
           [edit('_u + (_u >> 16) + 4224;', '_u + (_u >> 16) + 4224 + 256;')],
           ['elements', 'kernels-video']),
    Mutant('blur-rounding',
           'blur rounds its horizontal pass down instead of to nearest',
           'backends/cpu/kernels/gstrkcpublur.c',
           [edit('out[e] = (guint16) ((acc[e] + 8) >> 4);',
                 'out[e] = (guint16) ((acc[e] + 7) >> 4);')],
           ['kernels-video']),
    Mutant('sobel-weights',
           'sobel weighs the middle row 1 instead of 2',
           'backends/cpu/kernels/gstrkcpusobel.c',
           [edit('s[x + 1] = (gint16) (up[x] + 2 * mid[x] + down[x]);',
                 's[x + 1] = (gint16) (up[x] + mid[x] + down[x]);')],
           ['kernels-video']),
    Mutant('bgsub-learning-rate',
           'bgsub learns twice as fast as its alpha says',
           'backends/cpu/kernels/gstrkcpubgsub.c',
           [edit('((d * alpha) >> 15)', '((d * alpha) >> 14)')],
           ['kernels-video']),
    Mutant('anomaly-stddev',
           'anomaly reports the sample standard deviation (n - 1)',
           'backends/cpu/kernels/gstrkcpuanomaly.c',
           [edit('ev.stddev = sqrt (m2[c] / n);',
                 'ev.stddev = sqrt (m2[c] / (n - 1));')],
           ['kernels-sensor']),
    Mutant('fir-scale',
           'fir scales its inverse FFT by 1/(N+1)',
           'backends/cpu/kernels/gstrkcpufir.c',
           [edit('const gfloat scale = 1.0f / N;',
                 'const gfloat scale = 1.0f / (N + 1);')],
           ['kernels-sensor']),
    Mutant('spectrum-norm',
           'spectrum normalises by nfft (nfft + 1)',
           'backends/cpu/kernels/gstrkcpuspectrum.c',
           [edit('const gdouble norm = (gdouble) nfft * nfft;',
                 'const gdouble norm = (gdouble) nfft * (nfft + 1);')],
           ['kernels-sensor']),
    Mutant('echo-request-as-data',
           'echo answers a request with data instead of a reply',
           'backends/cpu/kernels/gstrkcpuecho.c',
           [edit('ctx->msg->env.type == RK_MSG_REQUEST ? RK_MSG_REPLY : '
                 'RK_MSG_DATA', 'RK_MSG_DATA')],
           ['call', 'runtime']),
    # Frames on the device between elements
    Mutant('device-input-staged',
           'Vulkan stages a frame already on its device through the host '
           '(right bytes, a host copy the chain must not make)',
           'backends/vulkan/gstrkvulkanbulk.c',
           [edit('    handle = gst_rk_device_memory_get_handle (msgs[i].payload, '
                 '&dev->parent);',
                 '    handle = NULL;')],
           ['device-chain-direct']),
    Mutant('device-output-not-copied',
           'Vulkan hands on a frame on the device without copying the '
           'output into it',
           'backends/vulkan/gstrkvulkanbulk.c',
           [edit('    if (mem == NULL)\n      continue;',
                 '    if (mem == NULL || TRUE)\n      continue;')],
           ['device-chain-direct']),
    Mutant('cuda-device-input-ignored',
           'CUDA reads a frame on its device from the host copy path',
           'backends/cuda/gstrkcudaevent.c',
           [edit('  in_payload = gst_rk_device_memory_get_handle (msg->payload,\n'
                 '      &e->dev->parent);',
                 '  in_payload = NULL;')],
           ['cuda-device-chain']),
]

BUILDS = {
    'default': [],
    'tsan': ['-Db_sanitize=thread', '-Db_lundef=false'],
}


def log(msg):
    print(msg, flush=True)


def run(cmd, **kw):
    return subprocess.run(cmd, **kw)


def sync_tree(src):
    """Copies the working tree (tracked and untracked, not ignored) into
    @src, rewriting only files whose content differs so that unchanged
    files keep their times and builds stay incremental."""
    files = run(['git', 'ls-files', '-z', '-co', '--exclude-standard'],
                cwd=ROOT, check=True, capture_output=True).stdout
    for rel in files.decode().split('\0'):
        if not rel:
            continue
        a = os.path.join(ROOT, rel)
        b = os.path.join(src, rel)
        if not os.path.isfile(a) or os.path.islink(a):
            continue
        with open(a, 'rb') as f:
            data = f.read()
        try:
            with open(b, 'rb') as f:
                if f.read() == data:
                    continue
        except OSError:
            os.makedirs(os.path.dirname(b), exist_ok=True)
        with open(b, 'wb') as f:
            f.write(data)
        shutil.copymode(a, b)


def apply(m, text):
    for old, new, count in m.edits:
        if isinstance(old, re.Pattern):
            found = len(old.findall(text))
            if found != count:
                raise ValueError('%s: %d matches of %s in %s, expected %d'
                                 % (m.name, found, old.pattern, m.path, count))
            text = old.sub(new, text)
        else:
            found = text.count(old)
            if found != count:
                raise ValueError('%s: %d matches of %r in %s, expected %d'
                                 % (m.name, found, old, m.path, count))
            text = text.replace(old, new)
    return text


class Build:
    def __init__(self, src, path, options):
        self.src = src
        self.path = path
        self.options = options
        self.targets = None
        self.env = dict(os.environ)
        if 'thread' in ' '.join(options):
            # As tests/sanitize.sh runs the TSan suite
            self.env['G_SLICE'] = 'always-malloc'
            self.env['TSAN_OPTIONS'] = (
                'halt_on_error=1:second_deadlock_stack=1:suppressions='
                + os.path.join(src, 'tests', 'tsan.supp'))

    def setup(self):
        if not os.path.exists(os.path.join(self.path, 'build.ninja')):
            run(['meson', 'setup', self.path, self.src, '-Dwerror=true']
                + self.options, check=True, stdout=subprocess.DEVNULL)

    def outputs(self, tests):
        """The files to build for @tests: their programs and the targets
        they depend on."""
        intro = json.loads(run(['meson', 'introspect', '--tests', self.path],
                               check=True, capture_output=True).stdout)
        targets = json.loads(run(['meson', 'introspect', '--targets',
                                  self.path], check=True,
                                 capture_output=True).stdout)
        by_id = {t['id']: t for t in targets}
        want = set()
        for t in intro:
            if t['name'] not in tests:
                continue
            for arg in t['cmd'][:1]:
                if arg.startswith(os.path.abspath(self.path)):
                    want.add(os.path.relpath(arg, self.path))
            for dep in t.get('depends', []):
                for f in by_id.get(dep, {}).get('filename', []):
                    want.add(os.path.relpath(f, os.path.abspath(self.path)))
        missing = set(tests) - {t['name'] for t in intro}
        if missing:
            raise ValueError('no such test in %s: %s'
                             % (self.path, ' '.join(sorted(missing))))
        return sorted(want)

    def build(self, tests):
        r = run(['ninja', '-C', self.path, '-j', os.environ.get('MUTANTS_JOBS',
                                                                  '2')]
                + self.outputs(tests), capture_output=True, text=True)
        return r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]

    def test(self, tests, logname):
        """Runs @tests; returns meson's exit status and, per test, its
        result (OK, FAIL, SKIP, TIMEOUT...) and output, from the JSON log."""
        multiplier = '5' if 'thread' in ' '.join(self.options) else '1'
        r = run(['meson', 'test', '-C', self.path, '--no-rebuild',
                 '--num-processes', '2', '--timeout-multiplier', multiplier,
                 '--logbase', logname] + tests,
                capture_output=True, text=True, env=self.env)
        results = {}
        try:
            with open(os.path.join(self.path, 'meson-logs',
                                   logname + '.json')) as f:
                for line in f:
                    t = json.loads(line)
                    name = t['name'].split(' / ')[-1]
                    results[name] = (t['result'], t.get('stdout') or '')
        except OSError:
            pass
        if r.returncode != 0 and not results:
            results['meson test'] = ('ERROR', r.stdout[-3000:]
                                     + r.stderr[-3000:])
        return r.returncode, results


def tail(text, n=15):
    return '\n'.join('    ' + l for l in text.rstrip().splitlines()[-n:])


def main():
    ap = argparse.ArgumentParser(
        description='Mutation testing (see the top of this file).')
    ap.add_argument('names', nargs='*', help='mutants to run (default: all)')
    ap.add_argument('--ci', action='store_true', help='the CI subset')
    ap.add_argument('--list', action='store_true', help='list the mutants')
    ap.add_argument('--check', action='store_true',
                    help='check that every mutant applies, without building')
    args = ap.parse_args()

    if args.check:
        broken = 0
        for m in MUTANTS:
            with open(os.path.join(ROOT, m.path)) as f:
                try:
                    apply(m, f.read())
                except ValueError as e:
                    log('DOES NOT APPLY: %s' % e)
                    broken += 1
        log('=== %d of %d mutants apply' % (len(MUTANTS) - broken,
                                            len(MUTANTS)))
        return 1 if broken else 0

    if args.list:
        for m in MUTANTS:
            log('%-26s %-4s %s' % (m.name, 'ci' if m.ci else '', m.what))
        return 0

    chosen = MUTANTS
    if args.names:
        names = {m.name for m in MUTANTS}
        bad = [n for n in args.names if n not in names]
        if bad:
            log('unknown mutant(s): %s (see --list)' % ' '.join(bad))
            return 2
        chosen = [m for m in MUTANTS if m.name in args.names]
    elif args.ci:
        chosen = [m for m in MUTANTS if m.ci]

    start = time.time()
    top = os.environ.get('MUTANTS_DIR', os.path.join(ROOT, 'build-mutants'))
    src = os.path.join(top, 'src')
    os.makedirs(src, exist_ok=True)
    sync_tree(src)
    builds = {}
    skipped = {}  # (build, test): the reason it gave
    for kind in sorted({m.build for m in chosen}):
        builds[kind] = Build(src, os.path.join(top, 'build-' + kind),
                             BUILDS[kind])
        builds[kind].setup()

    # The unmutated tests must pass, or a failure proves nothing.
    for kind, b in builds.items():
        tests = sorted({t for m in chosen if m.build == kind
                        for t in m.tests})
        log('=== baseline (%s build): %s' % (kind, ' '.join(tests)))
        ok, out = b.build(tests)
        if not ok:
            log(out)
            log('=== the unmutated tree does not build')
            return 2
        rc, results = b.test(tests, 'baseline')
        if rc != 0:
            for name, (result, out) in sorted(results.items()):
                if result not in ('OK', 'SKIP'):
                    log('%s: %s\n%s' % (name, result, tail(out)))
            log('=== the unmutated tests fail: no score')
            return 2
        for name, (result, out) in results.items():
            if result == 'SKIP':
                skipped[kind, name] = out.strip().splitlines()[-1:] or ['']
    log('=== baseline passes (%d s)' % (time.time() - start))

    killed, survived, broken, untested = [], [], [], []
    for m in chosen:
        b = builds[m.build]
        # A mutant none of whose tests runs here (the CUDA ones where the
        # CUDA backend is not built) can be neither killed nor survive:
        # it is reported, not scored.
        if all((m.build, t) in skipped for t in m.tests):
            log('%-26s NOT RUN: its tests skip here (%s)'
                % (m.name, skipped[m.build, m.tests[0]][0]))
            untested.append(m.name)
            continue
        path = os.path.join(src, m.path)
        with open(path) as f:
            original = f.read()
        t0 = time.time()
        try:
            mutated = apply(m, original)
        except ValueError as e:
            log('%-26s DOES NOT APPLY: %s' % (m.name, e))
            broken.append(m.name)
            continue
        try:
            with open(path, 'w') as f:
                f.write(mutated)
            ok, out = b.build(m.tests)
            if not ok:
                log(out)
                log('%-26s DOES NOT BUILD' % m.name)
                broken.append(m.name)
                continue
            rc, results = b.test(m.tests, 'mutant-' + m.name)
        finally:
            with open(path, 'w') as f:
                f.write(original)
        failed = sorted(n for n, (result, _) in results.items()
                        if result not in ('OK', 'SKIP'))
        if rc != 0:
            killed.append(m.name)
            log('%-26s killed by %s (%d s)' % (m.name, ' '.join(failed),
                                               time.time() - t0))
        else:
            survived.append(m.name)
            log('%-26s SURVIVED %s (%d s)' % (m.name, ' '.join(m.tests),
                                             time.time() - t0))
    n = len(chosen) - len(untested)
    log('=== mutation score: %d/%d killed (%.0f%%)%s%s%s, %d s'
        % (len(killed), n, 100.0 * len(killed) / max(n, 1),
           '; survived: ' + ' '.join(survived) if survived else '',
           '; broken: ' + ' '.join(broken) if broken else '',
           '; not run here: ' + ' '.join(untested) if untested else '',
           time.time() - start))
    return 0 if len(killed) == n else 1


if __name__ == '__main__':
    sys.exit(main())
