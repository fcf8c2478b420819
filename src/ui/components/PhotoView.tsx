/** A stored photo shown from its blob; the object URL is revoked when the view goes away. */
import { useEffect, useState } from 'preact/hooks';
import { loadPhoto } from '../../data/photos';
import { appDb } from '../appDb';

export function PhotoView({ sha256, alt, missingText }: { sha256: string; alt: string; missingText: string }) {
  const [url, setUrl] = useState<string | null | undefined>(undefined);
  useEffect(() => {
    let objectUrl: string | null = null;
    let alive = true;
    void loadPhoto(appDb(), sha256).then((blob) => {
      if (!alive) return;
      objectUrl = blob ? URL.createObjectURL(blob) : null;
      setUrl(objectUrl);
    });
    return () => {
      alive = false;
      if (objectUrl) URL.revokeObjectURL(objectUrl);
    };
  }, [sha256]);
  if (url === undefined) return null;
  if (url === null) return <p class="photo-missing">{missingText}</p>;
  return <img class="photo" src={url} alt={alt} />;
}
