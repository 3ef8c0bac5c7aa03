// Lets `tsc --noEmit` pass on a fresh checkout, before `next build` generates next-env.d.ts (git-ignored).
/// <reference types="next" />
/// <reference types="next/image-types/global" />
