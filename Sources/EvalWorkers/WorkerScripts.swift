/// The programs the workers run, passed to the interpreter on its command line (`node -e`, `python3 -c`).
///
/// Protocol: one JSON object per line on standard input, `{"id", "code", "params"?}` (inline code, its
/// argument names) or `{"id", "file", "fn", "method"?, "construct"?}` (a method of a provider class or
/// object), with `"args"`, and `"load": true` to only load the code; one line per request on the protocol stream,
/// `{"id", "ok": true, "value"?}` (no `value` for `undefined`/`None`) or `{"id", "ok": false, "error"}`;
/// first of all, once started, `{"id": 0, "ok": true}`.
/// User code's own prints go to standard error, never into the protocol.
enum WorkerScripts {
  static let node = #"""
    'use strict';
    const fs = require('fs');
    const path = require('path');
    const util = require('util');
    const readline = require('readline');
    const url = require('url');
    const toStderr = (...a) => { try { fs.writeSync(2, util.format(...a) + '\n'); } catch (e) {} };
    console.log = console.info = console.debug = console.warn = console.error = console.trace = toStderr;
    process.stdout.write = (chunk, enc, cb) => {
      try { fs.writeSync(2, typeof chunk === 'string' ? chunk : Buffer.from(chunk)); } catch (e) {}
      if (typeof enc === 'function') enc(); else if (typeof cb === 'function') cb();
      return true;
    };
    function send(obj) {
      const buf = Buffer.from(JSON.stringify(obj) + '\n');
      let off = 0;
      while (off < buf.length) {
        try { off += fs.writeSync(1, buf, off); }
        catch (e) { if (e.code !== 'EAGAIN') throw e; Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1); }
      }
    }
    const inline = new Map();
    function compile(code, params) {
      const names = params || ['output', 'context'];
      const key = names.join(',') + '\0' + code;
      let f = inline.get(key);
      if (f) return f;
      // An expression where it parses as one (promptfoo's one-liners), else a function body.
      const trimmed = code.trim().replace(/;+$/, '');
      if (!/^return\b/.test(trimmed)) {
        try { f = new Function(...names, 'return (' + trimmed + '\n)'); } catch (e) { f = undefined; }
      }
      if (!f) f = new Function(...names, code);
      inline.set(key, f);
      return f;
    }
    // ES modules and TypeScript (node's type stripping: on by default from 23.6 and 22.18, behind
    // --experimental-strip-types from 22.6, which the worker is started with there) are imported; the rest
    // is required.
    const typeScript = /\.(ts|mts|cts)$/i;
    async function importModule(file) {
      if (typeScript.test(file) && !process.features.typescript && !process.execArgv.includes('--experimental-strip-types')) {
        throw new Error(`${path.basename(file)} is TypeScript, which needs node >= 22.6 (type stripping); the node found is ${process.version} (${process.execPath})`);
      }
      return file.endsWith('.mjs') || typeScript.test(file) ? await import(url.pathToFileURL(file).href) : require(file);
    }
    // A provider: a class (instantiated once per options, as promptfoo does), an object with the method, or
    // a function.
    const exportsByFile = new Map();
    const instances = new Map();
    async function target(file, fn, method, construct) {
      let mod = exportsByFile.get(file);
      if (mod === undefined) {
        mod = await importModule(file);
        exportsByFile.set(file, mod);
      }
      const pick = (o) => fn.split('.').reduce((a, k) => (a == null ? undefined : a[k]), o);
      let e = fn ? (pick(mod) !== undefined ? pick(mod) : mod && mod.default ? pick(mod.default) : undefined) : mod;
      if (!fn && e && typeof e === 'object' && typeof e[method] !== 'function' && e.default) e = e.default;
      if (typeof e === 'function' && e.prototype && typeof e.prototype[method] === 'function') {
        const key = file + '\0' + (fn || '') + '\0' + JSON.stringify(construct === undefined ? null : construct);
        let instance = instances.get(key);
        if (!instance) {
          instance = new e(construct || {});
          instances.set(key, instance);
        }
        return instance[method].bind(instance);
      }
      if (e && typeof e[method] === 'function') return e[method].bind(e);
      if (typeof e === 'function') return e;
      throw new Error(`${path.basename(file)}${fn ? ':' + fn : ''} exports no class, object or function with '${method}'`);
    }
    const files = new Map();
    async function load(file, fn) {
      const key = file + '\0' + (fn || '');
      if (files.has(key)) return files.get(key);
      const mod = await importModule(file);
      let f;
      if (fn) {
        f = fn.split('.').reduce((o, k) => (o == null ? undefined : o[k]), mod);
        if (f === undefined && mod && mod.default) f = fn.split('.').reduce((o, k) => (o == null ? undefined : o[k]), mod.default);
      } else {
        f = typeof mod === 'function' ? mod : mod && typeof mod.default === 'function' ? mod.default : undefined;
      }
      if (typeof f !== 'function') {
        throw new Error(fn ? `${path.basename(file)} has no function '${fn}'` : `${path.basename(file)} does not export a function`);
      }
      files.set(key, f);
      return f;
    }
    function describe(e) {
      if (e instanceof Error) {
        // The first frame in a user's file, if any (not node's internals, not this worker).
        const frame = (e.stack || '').split('\n').slice(1).map((l) => l.match(/\((\/[^()]+:\d+):\d+\)$|at (\/[^()]+:\d+):\d+$/)).find((m) => m);
        const where = frame ? path.basename(frame[1] || frame[2]) : '';
        return `${e.name}: ${e.message}` + (where ? ` (${where})` : '');
      }
      return 'threw ' + util.inspect(e);
    }
    send({ id: 0, ok: true });
    let queue = Promise.resolve();
    const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
    rl.on('line', (line) => {
      queue = queue.then(async () => {
        let req;
        try { req = JSON.parse(line); } catch (e) { return; }
        let reply;
        try {
          const f = !req.file ? compile(req.code, req.params)
            : req.method ? await target(req.file, req.fn, req.method, req.construct) : await load(req.file, req.fn);
          const value = req.load ? undefined : await f(...(req.args || []));
          reply = value === undefined ? { id: req.id, ok: true } : { id: req.id, ok: true, value };
          JSON.stringify(reply);
        } catch (e) {
          reply = { id: req.id, ok: false, error: describe(e) };
        }
        try { send(reply); } catch (e) { send({ id: req.id, ok: false, error: 'returned a value that is not JSON: ' + describe(e) }); }
      });
    });
    rl.on('close', () => { queue.then(() => process.exit(0)); });
    """#

  static let python = #"""
    import asyncio, importlib.util, inspect, json, os, sys, textwrap, traceback
    proto = os.fdopen(os.dup(1), 'w', encoding='utf-8', newline='\n')
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    inline = {}
    modules = {}
    functions = {}

    def compile_inline(code, params=None):
        names = params or ['output', 'context']
        key = (','.join(names), code)
        f = inline.get(key)
        if f is None:
            # An expression where it parses as one, else a function body.
            stripped = code.strip()
            header = 'def __evalgate_fn(%s):\n' % ', '.join(names)
            try:
                source = compile(header + '    return (' + stripped + '\n    )\n', '<inline>', 'exec')
            except SyntaxError:
                body = textwrap.indent(textwrap.dedent(code.strip('\n')), '    ')
                source = compile(header + body + '\n', '<inline>', 'exec')
            ns = {}
            exec(source, ns)
            f = ns['__evalgate_fn']
            inline[key] = f
        return f

    def load(path, fn):
        key = (path, fn)
        if key in functions:
            return functions[key]
        mod = modules.get(path)
        if mod is None:
            folder = os.path.dirname(path)
            if folder not in sys.path:
                sys.path.insert(0, folder)
            spec = importlib.util.spec_from_file_location('evalgate_user_%d' % len(modules), path)
            mod = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(mod)
            modules[path] = mod
        obj = mod
        for part in fn.split('.'):
            if not hasattr(obj, part):
                raise AttributeError("%s has no function '%s'" % (os.path.basename(path), fn))
            obj = getattr(obj, part)
        if inspect.isclass(obj) or not callable(obj):
            raise TypeError("'%s' in %s is not a function" % (fn, os.path.basename(path)))
        functions[key] = obj
        return obj

    def describe(e):
        frames = [f for f in traceback.extract_tb(e.__traceback__) if f.filename == '<inline>' or f.filename in modules]
        where = (' (%s:%d)' % (os.path.basename(frames[-1].filename), frames[-1].lineno)) if frames else ''
        return '%s: %s%s' % (type(e).__name__, e, where)

    proto.write('{"id": 0, "ok": true}\n')
    proto.flush()
    while True:
        line = sys.stdin.readline()
        if not line:
            break
        try:
            req = json.loads(line)
        except ValueError:
            continue
        try:
            f = load(req['file'], req.get('fn') or 'get_assert') if req.get('file') else compile_inline(req['code'], req.get('params'))
            value = None if req.get('load') else f(*req.get('args', []))
            if inspect.isawaitable(value):
                value = asyncio.run(value)
            reply = {'id': req['id'], 'ok': True} if value is None else {'id': req['id'], 'ok': True, 'value': value}
            text = json.dumps(reply, allow_nan=False, ensure_ascii=False)
        except BaseException as e:
            if isinstance(e, KeyboardInterrupt):
                raise
            text = json.dumps({'id': req.get('id'), 'ok': False, 'error': describe(e)}, ensure_ascii=False)
        proto.write(text + '\n')
        proto.flush()
    """#
}
