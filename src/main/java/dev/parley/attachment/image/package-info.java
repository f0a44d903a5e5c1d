/**
 * The image pipeline: pure Java, no Spring, no database. Reads the header before any pixel (magic number, pixel
 * limit, working memory), cleans the original (a JPEG's segments rewritten losslessly, every APPn such as Exif with
 * GPS dropped and only the orientation kept; PNG re-encoded in sRGB; WebP and GIF containers rewritten), and makes
 * the thumbnail and BlurHash (a baseline or progressive JPEG's thumbnail from its DC coefficients at 1/8 scale).
 *
 * <p>May call: nothing of Parley's. Called by attachment only.
 */
package dev.parley.attachment.image;
