// `npm run team-db`: a local, throwaway team database for trying team mode on one machine. Starts
// PostgreSQL in a temp folder on a free port (scripts/pg-cluster.ts), prepares the team schema,
// prints the URL, and deletes everything on Ctrl+C. For real use, point the desks at the agency's
// own PostgreSQL server (README, "Team mode").
import { startCluster } from './pg-cluster.ts';
import { checkTeamDatabase } from '../electron/team/team-db.ts';

const json = process.argv.includes('--json');
const cluster = await startCluster();
const { version } = await checkTeamDatabase(cluster.url);
if (json) {
  console.log(JSON.stringify({ url: cluster.url, pid: cluster.pid(), dir: cluster.dir, schemaVersion: version }));
} else {
  console.log(`Team database ready (PostgreSQL pid ${cluster.pid()}, schema version ${version}, data in ${cluster.dir}).

  ${cluster.url}

App: Settings → Team database → paste the URL → Test connection → Save.
CLI: DESK_TEAM_DATABASE_URL='${cluster.url}' npm run desk -- recover <orderNo> --deposit
     (with ATLAS_ENV=sandbox or production; Training is replayed on every run)

Ctrl+C stops the server and deletes its folder.`);
}
let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await cluster.destroy();
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
