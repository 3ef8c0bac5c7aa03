'use client';

import { useAnnouncementsQuery } from '@/lib/queries/security';

/** Announcements posted by support (to everyone or to one of the user's orgs), until they expire. */
export function AnnouncementsBanner() {
  const announcements = useAnnouncementsQuery();
  if (!announcements.data?.length) return null;
  return (
    <>
      {announcements.data.map((a) => (
        <div key={a.id} className="banner banner-info" role="status" data-testid="announcement">
          <div className="container banner-inner">
            <strong>{a.orgName ? `${a.orgName}:` : 'Sightline:'}</strong>
            <span>{a.message}</span>
          </div>
        </div>
      ))}
    </>
  );
}
