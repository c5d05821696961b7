/// The programs the workers run, passed to the interpreter on its command line (`node -e`, `python3 -c`).
///
/// Protocol: one JSON object per line on standard input, `{"id", "code"}` (inline code) or
/// `{"id", "file", "fn"}`, with `"args"`; one line per request on the protocol stream,
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
    function compile(code) {
      let f = inline.get(code);
      if (f) return f;
      // An expression where it parses as one (promptfoo's one-liners), else a function body.
      const trimmed = code.trim().replace(/;+$/, '');
      if (!/^return\b/.test(trimmed)) {
        try { f = new Function('output', 'context', 'return (' + trimmed + '\n)'); } catch (e) { f = undefined; }
      }
      if (!f) f = new Function('output', 'context', code);
      inline.set(code, f);
      return f;
    }
    const files = new Map();
    async function load(file, fn) {
      const key = file + '\0' + (fn || '');
      if (files.has(key)) return files.get(key);
      let mod;
      if (file.endsWith('.mjs')) mod = await import(url.pathToFileURL(file).href);
      else mod = require(file);
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
          const f = req.file ? await load(req.file, req.fn) : compile(req.code);
          const value = await f(...(req.args || []));
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

    def compile_inline(code):
        f = inline.get(code)
        if f is None:
            # An expression where it parses as one, else a function body.
            stripped = code.strip()
            header = 'def __evalgate_fn(output, context):\n'
            try:
                source = compile(header + '    return (' + stripped + '\n    )\n', '<inline>', 'exec')
            except SyntaxError:
                body = textwrap.indent(textwrap.dedent(code.strip('\n')), '    ')
                source = compile(header + body + '\n', '<inline>', 'exec')
            ns = {}
            exec(source, ns)
            f = ns['__evalgate_fn']
            inline[code] = f
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
            f = load(req['file'], req.get('fn') or 'get_assert') if req.get('file') else compile_inline(req['code'])
            value = f(*req.get('args', []))
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
