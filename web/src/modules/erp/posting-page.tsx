import { useLocation } from '../../app/router';
import { PostingScreen } from './posting-screen';
import { DOCUMENT_TYPES, type DocumentType } from './types';

function isType(value: string | null): value is DocumentType {
  return value !== null && (DOCUMENT_TYPES as readonly string[]).includes(value);
}

/** A new stock document: "/erp/documents/new", optionally "?type=write_off". */
export default function PostingPage() {
  const { search } = useLocation();
  const type = search.get('type');
  return <PostingScreen key={type ?? ''} draft={null} initialType={isType(type) ? type : 'receipt'} />;
}
