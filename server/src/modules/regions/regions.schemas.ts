import { Type, type Static } from 'typebox';
import { Nullable } from '../../common/schemas.js';

// ---------------------------------------------------------------- requests

export const CommunitiesQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 50 })),
  ratingYear: Type.Optional(Type.Integer({ minimum: 2000, maximum: 2100 })),
  stars: Type.Optional(Type.Integer({ minimum: 1, maximum: 5 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000_000 })),
});

const OptionalText = (maxLength: number) => Type.Optional(Nullable(Type.String({ maxLength })));

export const ProfilePatchBody = Type.Object(
  {
    residentHouseholds: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000 })),
    representatives: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000 })),
    councilMembers: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000 })),
    address: OptionalText(200),
    contactPhone: OptionalText(40),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type ProfilePatch = Static<typeof ProfilePatchBody>;

// ---------------------------------------------------------------- responses

export const RegionView = Type.Object({
  code: Type.String(),
  name: Type.String(),
  level: Type.String(),
  kind: Type.String(),
  path: Type.String(),
  parentCode: Nullable(Type.String()),
  communityCount: Type.Integer(),
});
export type RegionView = Static<typeof RegionView>;

export const CommunityView = Type.Object({
  code: Type.String(),
  name: Type.String(),
  residentHouseholds: Type.Integer(),
  representatives: Type.Integer(),
  councilMembers: Type.Integer(),
  address: Nullable(Type.String()),
  contactPhone: Nullable(Type.String()),
  ratings: Type.Array(Type.Object({ year: Type.Integer(), stars: Type.Integer() })),
});
export type CommunityView = Static<typeof CommunityView>;

export const ScopeView = Type.Object({ root: RegionView });

export const RegionDetailView = Type.Object({
  region: RegionView,
  ancestors: Type.Array(RegionView),
  children: Type.Array(RegionView),
  community: Nullable(CommunityView),
});
export type RegionDetailView = Static<typeof RegionDetailView>;

export const CommunityListView = Type.Object({
  ratingYear: Type.Integer(),
  total: Type.Integer(),
  items: Type.Array(
    Type.Object({
      code: Type.String(),
      name: Type.String(),
      streetCode: Type.String(),
      streetName: Type.String(),
      districtCode: Type.String(),
      districtName: Type.String(),
      stars: Nullable(Type.Integer()),
      residentHouseholds: Type.Integer(),
      representatives: Type.Integer(),
      councilMembers: Type.Integer(),
    }),
  ),
});

export const ProfileView = Type.Object({ community: CommunityView });
