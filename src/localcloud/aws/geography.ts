/**
 * The local cloud's regions and availability zones, with realistic names and zone ids.
 *
 * In every region exactly one AZ is one that endpoint services never support (as some real AZs,
 * e.g. use1-az3, lack newer instance types): the provider account's default VPC has no subnet
 * there and CreateLoadBalancer refuses it, while customer default VPCs do have one. That makes
 * the AZ-mismatch error of CreateVpcEndpoint reproducible. AWS maps AZ names to zone ids per
 * account; here the mapping is the same for every account.
 */

/** One availability zone. */
export interface AvailabilityZone {
  readonly zoneName: string;
  readonly zoneId: string;
  readonly regionName: string;
  /** False for the one AZ per region where load balancers (hence endpoint services) are refused. */
  readonly endpointServicesSupported: boolean;
}

/** One region with its zones and the hosted zone ids used in DNS answers. */
export interface Region {
  readonly regionName: string;
  readonly optInStatus: 'opt-in-not-required' | 'opted-in';
  readonly zones: readonly AvailabilityZone[];
  /** Hosted zone id of `*.vpce.amazonaws.com` names in this region (dnsEntrySet). */
  readonly vpceHostedZoneId: string;
  /** CanonicalHostedZoneId of network load balancers in this region. */
  readonly nlbHostedZoneId: string;
}

type RegionSpec = readonly [
  name: string,
  zones: ReadonlyArray<readonly [suffix: string, zoneId: string]>,
  unsupportedSuffix: string,
  vpceZone: string,
  nlbZone: string,
  optIn?: boolean,
];

const SPECS: readonly RegionSpec[] = [
  [
    'us-east-1',
    [
      ['a', 'use1-az1'],
      ['b', 'use1-az2'],
      ['c', 'use1-az4'],
      ['d', 'use1-az6'],
      ['e', 'use1-az3'],
      ['f', 'use1-az5'],
    ],
    'e',
    'Z7HUB22UULQXV',
    'Z26RNL4JYFTOTI',
  ],
  [
    'us-east-2',
    [
      ['a', 'use2-az1'],
      ['b', 'use2-az2'],
      ['c', 'use2-az3'],
    ],
    'c',
    'ZC8PG0KIFKBRI',
    'ZLMOA37VPKANP',
  ],
  [
    'us-west-1',
    [
      ['a', 'usw1-az1'],
      ['b', 'usw1-az3'],
    ],
    'b',
    'Z12I86A8N7VCZO',
    'Z24FKFUX50B4VW',
  ],
  [
    'us-west-2',
    [
      ['a', 'usw2-az1'],
      ['b', 'usw2-az2'],
      ['c', 'usw2-az3'],
      ['d', 'usw2-az4'],
    ],
    'd',
    'Z1YSA3EXCYUU9Z',
    'Z18D5FSROUN65G',
  ],
  [
    'ca-central-1',
    [
      ['a', 'cac1-az1'],
      ['b', 'cac1-az2'],
      ['d', 'cac1-az4'],
    ],
    'd',
    'ZRCXCF510Y6P9',
    'Z2EPGBW3API2WT',
  ],
  [
    'sa-east-1',
    [
      ['a', 'sae1-az1'],
      ['b', 'sae1-az2'],
      ['c', 'sae1-az3'],
    ],
    'c',
    'Z2LXUWEVLCVNRH',
    'ZTK26PT1VY4CU',
  ],
  [
    'eu-west-1',
    [
      ['a', 'euw1-az1'],
      ['b', 'euw1-az2'],
      ['c', 'euw1-az3'],
    ],
    'c',
    'Z38GZ743OKFT7T',
    'Z2IFOLAFXWLO4F',
  ],
  [
    'eu-west-2',
    [
      ['a', 'euw2-az2'],
      ['b', 'euw2-az3'],
      ['c', 'euw2-az1'],
    ],
    'c',
    'Z3B1IRXLIFCN0K',
    'ZD4D7Y8KGAS4G',
  ],
  [
    'eu-west-3',
    [
      ['a', 'euw3-az1'],
      ['b', 'euw3-az2'],
      ['c', 'euw3-az3'],
    ],
    'c',
    'Z2WFYLKLE3QWCY',
    'Z1CMS0P5QUZ6D5',
  ],
  [
    'eu-central-1',
    [
      ['a', 'euc1-az2'],
      ['b', 'euc1-az3'],
      ['c', 'euc1-az1'],
    ],
    'c',
    'Z273ZU8SZ5RJPC',
    'Z3F0SRJ5LGBH90',
  ],
  [
    'eu-central-2',
    [
      ['a', 'euc2-az1'],
      ['b', 'euc2-az2'],
      ['c', 'euc2-az3'],
    ],
    'c',
    'Z06842552WWRJJ9PJ2WPN',
    'Z02239872DOALSIDCX66S',
    true,
  ],
  [
    'eu-north-1',
    [
      ['a', 'eun1-az1'],
      ['b', 'eun1-az2'],
      ['c', 'eun1-az3'],
    ],
    'c',
    'Z3U0OVEQRSC5GS',
    'Z1UDT6IFJ4EJM',
  ],
  [
    'eu-south-1',
    [
      ['a', 'eus1-az1'],
      ['b', 'eus1-az2'],
      ['c', 'eus1-az3'],
    ],
    'c',
    'Z2EHNGCTUJPD9F',
    'Z23146JA1KNAFP',
    true,
  ],
  [
    'ap-southeast-1',
    [
      ['a', 'apse1-az1'],
      ['b', 'apse1-az2'],
      ['c', 'apse1-az3'],
    ],
    'c',
    'Z18LLCSTV4NVNL',
    'ZKVM4W9LS7TM',
  ],
  [
    'ap-southeast-2',
    [
      ['a', 'apse2-az1'],
      ['b', 'apse2-az3'],
      ['c', 'apse2-az2'],
    ],
    'c',
    'ZDK2GCRPAFKGO',
    'ZCT6FZBF4DROD',
  ],
  [
    'ap-northeast-1',
    [
      ['a', 'apne1-az4'],
      ['c', 'apne1-az1'],
      ['d', 'apne1-az2'],
    ],
    'd',
    'Z2E726K9Y6RL4W',
    'Z31USIVHYNEOWT',
  ],
  [
    'ap-northeast-2',
    [
      ['a', 'apne2-az1'],
      ['b', 'apne2-az2'],
      ['c', 'apne2-az3'],
      ['d', 'apne2-az4'],
    ],
    'd',
    'Z27UANNT0PRK1T',
    'ZIBE1TIR4HY56',
  ],
  [
    'ap-northeast-3',
    [
      ['a', 'apne3-az3'],
      ['b', 'apne3-az1'],
      ['c', 'apne3-az2'],
    ],
    'c',
    'Z2YQB5RD63NC85',
    'Z1GWIQ4HH19I5X',
  ],
  [
    'ap-south-1',
    [
      ['a', 'aps1-az1'],
      ['b', 'aps1-az3'],
      ['c', 'aps1-az2'],
    ],
    'c',
    'Z2KVTB3ZLFM7JR',
    'ZVDDRBQ08TROA',
  ],
  [
    'ap-east-1',
    [
      ['a', 'ape1-az1'],
      ['b', 'ape1-az2'],
      ['c', 'ape1-az3'],
    ],
    'c',
    'Z2LIHJ7PKBEMWN',
    'Z12Y7K3UBGUAD1',
    true,
  ],
  [
    'me-south-1',
    [
      ['a', 'mes1-az1'],
      ['b', 'mes1-az2'],
      ['c', 'mes1-az3'],
    ],
    'c',
    'Z3B95P3VBKEIEU',
    'Z3QSRYVP46NYYV',
    true,
  ],
  [
    'af-south-1',
    [
      ['a', 'afs1-az1'],
      ['b', 'afs1-az2'],
      ['c', 'afs1-az3'],
    ],
    'c',
    'Z09302161J80N9A7UTP7U',
    'Z203XCE67M25HM',
    true,
  ],
];

const REGIONS: readonly Region[] = SPECS.map(([regionName, zones, unsupported, vpceHostedZoneId, nlbHostedZoneId, optIn]) => ({
  regionName,
  optInStatus: optIn ? 'opted-in' : 'opt-in-not-required',
  vpceHostedZoneId,
  nlbHostedZoneId,
  zones: zones.map(([suffix, zoneId]) => ({
    zoneName: `${regionName}${suffix}`,
    zoneId,
    regionName,
    endpointServicesSupported: suffix !== unsupported,
  })),
}));

/** Every region, in a stable order. */
export function allRegions(): readonly Region[] {
  return REGIONS;
}

/** The region named `regionName` (e.g. `us-east-1`), or undefined. */
export function findRegion(regionName: string): Region | undefined {
  return REGIONS.find((region) => region.regionName === regionName);
}

/** The zone of `region` with this name (`us-east-1a`) or id (`use1-az1`), or undefined. */
export function findZone(region: Region, nameOrId: string): AvailabilityZone | undefined {
  return region.zones.find((zone) => zone.zoneName === nameOrId || zone.zoneId === nameOrId);
}
