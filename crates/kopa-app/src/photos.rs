//! Photos people upload: counted and checked before anything is decoded, then decoded
//! within limits, a few at a time, and re-encoded. The stored copy is a plain JPEG of
//! sensible size, without the original's metadata (which can hold where and when it was
//! taken).

use std::io::Cursor;

use image::{DynamicImage, ImageFormat, ImageReader, Limits};
use kopa_domain::Invalid;
use kopa_store::{MAX_PHOTOS_PER_IDEA, NewPhoto, Turns};

use crate::Refusal;

/// Photos as an upload form sent them, not yet looked at.
#[derive(Default)]
pub struct PhotoUpload {
    pub description: String,
    pub files: Vec<Vec<u8>>,
    /// A part of the form could not be read.
    pub broken: bool,
}

/// What an upload holds once checked: its description and each photo re-encoded.
pub(crate) struct Photos {
    pub description: Option<String>,
    pub photos: Vec<NewPhoto>,
}

/// Uploads decode two at a time, each within [`MAX_DECODE_BYTES`]; past that they wait their
/// turn, 10 s at most.
static DECODING: Turns = Turns::new(2, std::time::Duration::from_secs(10));
/// The most memory decoding one photo may take.
const MAX_DECODE_BYTES: u64 = 256 * 1024 * 1024;

impl PhotoUpload {
    /// Checks the upload for an album that holds `held` photos already, everything that can
    /// be known without decoding first; then decodes and re-encodes each photo. Nothing is
    /// kept unless all are right.
    pub(crate) async fn prepare(self, held: usize) -> Result<Photos, Refusal> {
        let mut invalid = Invalid::new();
        if self.broken {
            invalid.add("photos", "error-photo-upload");
        }
        let description = invalid.optional_text("description", &self.description, 300);
        if self.files.is_empty() && invalid.errors.is_empty() {
            invalid.add("photos", "error-photo-empty");
        }
        if held + self.files.len() > MAX_PHOTOS_PER_IDEA {
            invalid.add("photos", "error-photo-count");
        }
        for file in &self.files {
            if let Err(key) = look_at(file) {
                invalid.add("photos", key);
            }
        }
        invalid.into_result()?;
        let files = self.files;
        let prepared = DECODING
            .run("error-photo-unreadable", move || {
                files.iter().map(|f| prepare(f)).collect::<Vec<_>>()
            })
            .await?;
        let mut invalid = Invalid::new();
        let mut photos = Vec::new();
        for result in prepared {
            match result {
                Ok(photo) => photos.push(photo),
                Err(key) => invalid.add("photos", key),
            }
        }
        invalid.into_result()?;
        Ok(Photos { description, photos })
    }
}

/// The largest photo accepted.
pub const MAX_PHOTO_BYTES: usize = 5 * 1024 * 1024;
/// Longest side of the stored photo and of its thumbnail, in pixels.
const LONGEST_SIDE: u32 = 1600;
const THUMBNAIL_SIDE: u32 = 400;
/// Decoding refuses images larger than this, so a small file cannot unpack into gigabytes.
const MAX_PIXELS_SIDE: u32 = 12_000;
/// The most pixels a photo may have, read from its header before anything is decoded: 25
/// megapixels, above a phone's usual 12, and about 75 MB once decoded.
const MAX_PIXELS: u64 = 25_000_000;

/// What can be told of a photo from its size and header alone: its format, or the Fluent key
/// of what is wrong.
fn look_at(bytes: &[u8]) -> Result<ImageFormat, &'static str> {
    if bytes.is_empty() {
        return Err("error-photo-empty");
    }
    if bytes.len() > MAX_PHOTO_BYTES {
        return Err("error-photo-too-large");
    }
    let format = image::guess_format(bytes).map_err(|_| "error-photo-type")?;
    if !matches!(format, ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::WebP) {
        return Err("error-photo-type");
    }
    let (width, height) = ImageReader::with_format(Cursor::new(bytes), format)
        .into_dimensions()
        .map_err(|_| "error-photo-unreadable")?;
    if u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err("error-photo-too-many-pixels");
    }
    Ok(format)
}

/// Checks and re-encodes one uploaded photo. Returns the Fluent key of what is wrong.
fn prepare(bytes: &[u8]) -> Result<NewPhoto, &'static str> {
    let format = look_at(bytes)?;
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_PIXELS_SIDE);
    limits.max_image_height = Some(MAX_PIXELS_SIDE);
    limits.max_alloc = Some(MAX_DECODE_BYTES);
    reader.limits(limits);
    let decoded = reader.decode().map_err(|_| "error-photo-unreadable")?;
    let photo = fit(decoded, LONGEST_SIDE);
    let thumbnail = fit(photo.clone(), THUMBNAIL_SIDE);
    Ok(NewPhoto {
        content_type: "image/jpeg".into(),
        width: i64::from(photo.width()),
        height: i64::from(photo.height()),
        image: jpeg(&photo)?,
        thumbnail: jpeg(&thumbnail)?,
    })
}

/// The image no larger than `side` on its longest side.
fn fit(image: DynamicImage, side: u32) -> DynamicImage {
    if image.width() <= side && image.height() <= side {
        image
    } else {
        image.resize(side, side, image::imageops::FilterType::Triangle)
    }
}

fn jpeg(image: &DynamicImage) -> Result<Vec<u8>, &'static str> {
    let mut out = Vec::new();
    let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 85);
    image
        .to_rgb8()
        .write_with_encoder(encoder)
        .map_err(|_| "error-photo-unreadable")?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{png, png_header};

    #[test]
    fn a_photo_is_re_encoded_smaller_with_a_thumbnail() {
        let photo = prepare(&png(2400, 1200)).unwrap();
        assert_eq!((photo.width, photo.height), (1600, 800));
        assert_eq!(&photo.image[..2], [0xFF, 0xD8], "a JPEG");
        let thumbnail = image::load_from_memory(&photo.thumbnail).unwrap();
        assert_eq!((thumbnail.width(), thumbnail.height()), (400, 200));
    }

    #[test]
    fn a_photo_of_too_many_pixels_is_refused_before_it_is_decoded() {
        assert_eq!(
            prepare(&png_header(12_000, 12_000)).err(),
            Some("error-photo-too-many-pixels")
        );
        assert_eq!(
            prepare(&png_header(100_000, 1_000)).err(),
            Some("error-photo-too-many-pixels")
        );
        // One within the limit gets as far as decoding, where this header alone fails.
        assert_eq!(prepare(&png_header(4032, 3024)).err(), Some("error-photo-unreadable"));
    }

    #[test]
    fn what_is_not_a_photo_is_named() {
        assert_eq!(prepare(b"").err(), Some("error-photo-empty"));
        assert_eq!(
            prepare(b"<svg xmlns='http://www.w3.org/2000/svg'/>").err(),
            Some("error-photo-type")
        );
        assert_eq!(prepare(b"GIF89a....").err(), Some("error-photo-type"));
        let mut broken = png(10, 10);
        broken.truncate(40);
        assert_eq!(prepare(&broken).err(), Some("error-photo-unreadable"));
        let mut huge = vec![0xFF, 0xD8, 0xFF];
        huge.resize(MAX_PHOTO_BYTES + 1, 0);
        assert_eq!(prepare(&huge).err(), Some("error-photo-too-large"));
    }
}
