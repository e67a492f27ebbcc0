// A packaged desk refuses debuggers, traffic/TLS-key dumps and certificate bypasses on its command line.
import { describe, expect, it } from 'vitest';
import { refusedStartupOptions } from '../../electron/shell/startup-switches.ts';

const exe = '/Applications/Atlas Retry Desk.app/Contents/MacOS/Atlas Retry Desk';

describe('refusedStartupOptions', () => {
  it.each([
    [['--remote-debugging-port=9222'], ['--remote-debugging-port']],
    [['--remote-debugging-port', '9222'], ['--remote-debugging-port']],
    [['--remote-debugging-pipe'], ['--remote-debugging-pipe']],
    [['--inspect'], ['--inspect']],
    [['--inspect-brk=0.0.0.0:9229'], ['--inspect-brk']],
    [['--js-flags=--expose-gc'], ['--js-flags']],
    [['-remote-debugging-port=1'], ['--remote-debugging-port']],
    [['--Remote-Debugging-Port=1'], ['--remote-debugging-port']],
    [['--log-net-log=/tmp/net.json', '--net-log-capture-mode=Everything'], ['--log-net-log', '--net-log-capture-mode']],
    [['--ssl-key-log-file=/tmp/keys'], ['--ssl-key-log-file']],
    [['--ignore-certificate-errors'], ['--ignore-certificate-errors']],
    [['--host-resolver-rules=MAP api-sg.atriptech.com 10.0.0.1'], ['--host-resolver-rules']],
    [['--trace-startup=disabled-by-default-netlog', '--trace-startup-duration=600'], ['--trace-startup']],
    [['--enable-tracing=disabled-by-default-netlog'], ['--enable-tracing']],
    [['--trace-config-file=/tmp/netlog.json'], ['--trace-config-file']],
    [['--utility-cmd-prefix=gdb --args'], ['--utility-cmd-prefix']],
    [['--renderer-cmd-prefix', 'strace -f'], ['--renderer-cmd-prefix']],
    [['--gpu-launcher=gdb --args', '--zygote-cmd-prefix=gdb'], ['--gpu-launcher', '--zygote-cmd-prefix']],
  ])('finds %j', (args, refused) => {
    expect(refusedStartupOptions([exe, ...args], 'darwin', {})).toEqual(refused);
  });

  it('reads Windows /switches, and stops at a bare --', () => {
    expect(refusedStartupOptions(['C:\\Desk\\desk.exe', '/remote-debugging-port=9222'], 'win32', {})).toEqual(['--remote-debugging-port']);
    expect(refusedStartupOptions([exe, '/remote-debugging-port=9222'], 'darwin', {})).toEqual([]);
    expect(refusedStartupOptions([exe, '--', '--inspect'], 'darwin', {})).toEqual([]);
  });

  it('asks Chromium too, and refuses a TLS key log file from the environment', () => {
    expect(refusedStartupOptions([exe], 'linux', {}, (name) => name === 'remote-debugging-port')).toEqual(['--remote-debugging-port']);
    expect(refusedStartupOptions([exe], 'linux', { SSLKEYLOGFILE: '/tmp/keys' })).toEqual(['SSLKEYLOGFILE']);
  });

  it("refuses Electron's logging switched on from the environment, even by an empty ELECTRON_ENABLE_LOGGING", () => {
    // Electron reads ELECTRON_ENABLE_LOGGING as --enable-logging when it is merely present.
    for (const value of ['1', 'file', '']) {
      expect(refusedStartupOptions([exe], 'win32', { ELECTRON_ENABLE_LOGGING: value })).toEqual(['ELECTRON_ENABLE_LOGGING']);
    }
    expect(refusedStartupOptions([exe], 'darwin', { ELECTRON_ENABLE_LOGGING: 'stderr', SSLKEYLOGFILE: '/tmp/k' })).toEqual(['ELECTRON_ENABLE_LOGGING', 'SSLKEYLOGFILE']);
  });

  it('lets ordinary starts through', () => {
    expect(refusedStartupOptions([exe], 'darwin', {})).toEqual([]);
    expect(refusedStartupOptions([exe, '--user-data-dir=/tmp/x', '--lang=zh-CN', 'atlas-desk://open'], 'darwin', { SSLKEYLOGFILE: '' })).toEqual([]);
    // The executable path itself is never read as a switch.
    expect(refusedStartupOptions(['--inspect'], 'darwin', {})).toEqual([]);
  });
});
