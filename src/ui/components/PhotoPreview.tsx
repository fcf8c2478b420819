/** A photo chosen in a form but not saved yet, shown from its blob (the object URL lives as long as the preview), with a remove button. */
import { useEffect, useState } from 'preact/hooks';
import type { BlobRow } from '../../data/db';

export function PhotoPreview({
  photo,
  alt,
  removeLabel,
  onRemove,
}: {
  photo: BlobRow;
  alt: string;
  removeLabel: string;
  onRemove: () => void;
}) {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    const objectUrl = URL.createObjectURL(photo.blob);
    setUrl(objectUrl);
    return () => URL.revokeObjectURL(objectUrl);
  }, [photo.blob]);
  return (
    <li class="photo-preview">
      {url ? <img src={url} alt={alt} width={photo.width} height={photo.height} /> : null}
      <button type="button" class="button" onClick={onRemove}>
        {removeLabel}
      </button>
    </li>
  );
}
