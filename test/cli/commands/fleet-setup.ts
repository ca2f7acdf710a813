// One recorded fleet for the `periscope fleet` / `periscope findings` tests: the same scans in a dynalite table (the
// "deployed" table, reached through AWS_ENDPOINT_URL_DYNAMODB) and in the local store of a PERISCOPE_HOME, plus a
// CloudFormation receiver answering DescribeStacks (query protocol, XML) with the table's stack output.
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ClusterRef } from '../../../shared/model/cluster.ts';
import { localStoreDir, openLocalStore } from '../../../shared/store/local.ts';
import { findingsTableOutput } from '../../../shared/store/table.ts';
import { fleetOf, recordFleet, type ExpectedCluster } from '../../store/fleet-fixture.ts';
import { newStore, startDynalite, type Backend, type TestStore } from '../../store/harness.ts';

const day = 86_400_000;
/** A cluster whose name a spreadsheet would run as a formula, with a comma and quotes in it. */
export const hostileCluster: ClusterRef = { id: 'kubeconfig:hostile', name: '=HYPERLINK("http://x"),y', source: 'kubeconfig' };

export interface FleetSetup {
  expected: ExpectedCluster[];
  home: string;
  tableName: string;
  /** Env for a child CLI reading the dynalite table and the CloudFormation receiver. */
  env: Record<string, string | undefined>;
  /** The DescribeStacks requests the receiver got. */
  stackRequests: string[];
  close(): Promise<void>;
}

function stacksXml(name: string, outputs: Record<string, string>): string {
  const members = Object.entries(outputs)
    .map(([key, value]) => `<member><OutputKey>${key}</OutputKey><OutputValue>${value}</OutputValue></member>`)
    .join('');
  return `<DescribeStacksResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><DescribeStacksResult><Stacks><member>` +
    `<StackName>${name}</StackName><StackId>arn:aws:cloudformation:eu-west-1:111122223333:stack/${name}/1</StackId>` +
    `<CreationTime>2026-01-01T00:00:00Z</CreationTime><StackStatus>CREATE_COMPLETE</StackStatus><Outputs>${members}</Outputs>` +
    `</member></Stacks></DescribeStacksResult><ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></DescribeStacksResponse>`;
}

const notFoundXml = (name: string): string =>
  `<ErrorResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><Error><Type>Sender</Type><Code>ValidationError</Code>` +
  `<Message>Stack with id ${name} does not exist</Message></Error><RequestId>2</RequestId></ErrorResponse>`;

export async function setUpFleet(clusters: number): Promise<FleetSetup> {
  const now = Date.now();
  const times = { first: new Date(now - 3 * day).toISOString(), second: new Date(now - day).toISOString() };
  const fleet = fleetOf(clusters);
  const backend: Backend = await startDynalite();
  const t: TestStore = await newStore(backend);
  const expected = await recordFleet(t.store, fleet, times);
  await t.store.upsertCluster(hostileCluster);
  const home = await mkdtemp(join(tmpdir(), 'periscope-fleet-cli-'));
  const local = await openLocalStore({ dir: localStoreDir(home) });
  await recordFleet(local.store, fleet, times);
  await local.store.upsertCluster(hostileCluster);
  await local.close();

  const stackRequests: string[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      const params = new URLSearchParams(body);
      const name = params.get('StackName') ?? '';
      stackRequests.push(`${params.get('Action')} ${name}`);
      res.setHeader('content-type', 'text/xml');
      if (name === 'Periscope') res.end(stacksXml(name, { BusName: 'bus', [findingsTableOutput]: t.tableName }));
      else if (name === 'Old') res.end(stacksXml(name, { BusName: 'bus' }));
      else {
        res.statusCode = 400;
        res.end(notFoundXml(name));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    expected,
    home,
    tableName: t.tableName,
    env: {
      AWS_ENDPOINT_URL_DYNAMODB: backend.endpoint,
      AWS_ENDPOINT_URL_CLOUDFORMATION: `http://127.0.0.1:${port}`,
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_SESSION_TOKEN: undefined,
      AWS_PROFILE: undefined,
      AWS_REGION: undefined,
      AWS_DEFAULT_REGION: undefined,
      PERISCOPE_HOME: home,
    },
    stackRequests,
    close: async () => {
      t.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await backend.stop();
      await rm(home, { recursive: true, force: true });
    },
  };
}
