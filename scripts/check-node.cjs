// Fails early, in plain words, on a Node older than the project's baseline (Node 24, the Node inside
// current Electron). Written in CommonJS with no modern syntax so that even an old Node can run it.
var major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  console.error(
    'Atlas Retry Desk needs Node.js 24 or newer (this is Node ' + process.versions.node + ').\n' +
    'Install Node 24 (https://nodejs.org), or run: npm install --prefix ~/.cache/node24 node@24 ' +
    'and put ~/.cache/node24/node_modules/.bin first on your PATH.'
  );
  process.exit(1);
}
