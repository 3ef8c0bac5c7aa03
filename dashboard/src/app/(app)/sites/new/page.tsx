import type { Metadata } from 'next';
import { AddSiteFlow } from './add-site-flow';

export const metadata: Metadata = { title: 'Add website' };

export default function NewSitePage() {
  return <AddSiteFlow />;
}
