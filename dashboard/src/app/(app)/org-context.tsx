'use client';

import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useRouter, useSearchParams } from 'next/navigation';
import type { MembershipView } from '@sightline/api-contract';

const STORAGE_KEY = 'sightline.org';

interface OrgContextValue {
  orgs: MembershipView[];
  /** The org the user is looking at: `?org=` in the URL, else the remembered one, else the first. */
  current: MembershipView | null;
  /** Switches org and goes to its sites. */
  selectOrg: (orgId: string) => void;
  /** Remembers an org without navigating (e.g. the org of the site being viewed). */
  rememberOrg: (orgId: string) => void;
}

const OrgContext = createContext<OrgContextValue | null>(null);

function readStored(): string | null {
  try {
    return window.localStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

function writeStored(orgId: string) {
  try {
    window.localStorage.setItem(STORAGE_KEY, orgId);
  } catch {
    // Private mode or storage disabled: the URL still carries the choice.
  }
}

export function OrgProvider({ orgs, children }: { orgs: MembershipView[]; children: ReactNode }) {
  const router = useRouter();
  const urlOrg = useSearchParams().get('org');
  const [remembered, setRemembered] = useState<string | null>(null);

  useEffect(() => {
    setRemembered(readStored());
  }, []);

  const current = useMemo(
    () => orgs.find((o) => o.orgId === urlOrg) ?? orgs.find((o) => o.orgId === remembered) ?? orgs[0] ?? null,
    [orgs, urlOrg, remembered],
  );

  useEffect(() => {
    if (urlOrg && orgs.some((o) => o.orgId === urlOrg)) writeStored(urlOrg);
  }, [urlOrg, orgs]);

  const rememberOrg = useCallback((orgId: string) => {
    writeStored(orgId);
    setRemembered(orgId);
  }, []);

  const selectOrg = useCallback(
    (orgId: string) => {
      rememberOrg(orgId);
      router.push(`/sites?org=${encodeURIComponent(orgId)}`);
    },
    [rememberOrg, router],
  );

  const value = useMemo(
    () => ({ orgs, current, selectOrg, rememberOrg }),
    [orgs, current, selectOrg, rememberOrg],
  );
  return <OrgContext.Provider value={value}>{children}</OrgContext.Provider>;
}

export function useOrgs(): OrgContextValue {
  const value = useContext(OrgContext);
  if (!value) throw new Error('useOrgs must be used inside the signed-in layout');
  return value;
}
