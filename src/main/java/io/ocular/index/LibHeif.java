package io.ocular.index;

import com.sun.jna.IntegerType;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.PointerByReference;

/**
 * The part of libheif's C API (heif.h, stable since 1.x; written against Debian 12's 1.15) that Ocular
 * calls, mapped with JNA. libheif is the maintained HEIF/AVIF reader every Linux desktop uses; it brings
 * the HEVC (libde265) and AV1 (dav1d/aom) decoders as plugins, so no codec is hand-written here.
 * Only functions of the 1.15 API are declared, so the binding loads on Debian 12 and newer.
 */
interface LibHeif extends Library {
    int COLORSPACE_RGB = 1;
    int CHROMA_INTERLEAVED_RGB = 10;
    int CHANNEL_INTERLEAVED = 10;
    int COMPRESSION_HEVC = 1;
    int COMPRESSION_AV1 = 4;

    /** {@code struct heif_error}, returned by value. {@code code == 0} means success. */
    @Structure.FieldOrder({"code", "subcode", "message"})
    class Error extends Structure implements Structure.ByValue {
        public int code;
        public int subcode;
        public String message;

        boolean ok() {
            return code == 0;
        }

        @Override
        public String toString() {
            return message == null ? "error " + code + "/" + subcode : message;
        }
    }

    /** {@code size_t}. */
    class SizeT extends IntegerType {
        private static final long serialVersionUID = 1L;

        public SizeT() {
            this(0);
        }

        public SizeT(long value) {
            super(Native.SIZE_T_SIZE, value, true);
        }
    }

    String heif_get_version();

    Error heif_init(Pointer params);

    int heif_have_decoder_for_format(int format);

    Pointer heif_context_alloc();

    void heif_context_free(Pointer ctx);

    Error heif_context_read_from_memory_without_copy(Pointer ctx, Pointer mem, SizeT size, Pointer options);

    Error heif_context_get_primary_image_handle(Pointer ctx, PointerByReference handle);

    void heif_image_handle_release(Pointer handle);

    int heif_image_handle_get_width(Pointer handle);

    int heif_image_handle_get_height(Pointer handle);

    int heif_image_handle_get_number_of_thumbnails(Pointer handle);

    int heif_image_handle_get_list_of_thumbnail_IDs(Pointer handle, int[] ids, int count);

    Error heif_image_handle_get_thumbnail(Pointer handle, int thumbnailId, PointerByReference thumbnail);

    int heif_image_handle_get_list_of_metadata_block_IDs(Pointer handle, String typeFilter, int[] ids, int count);

    SizeT heif_image_handle_get_metadata_size(Pointer handle, int metadataId);

    Error heif_image_handle_get_metadata(Pointer handle, int metadataId, Pointer out);

    Pointer heif_decoding_options_alloc();

    void heif_decoding_options_free(Pointer options);

    Error heif_decode_image(Pointer handle, PointerByReference image, int colorspace, int chroma, Pointer options);

    int heif_image_get_width(Pointer image, int channel);

    int heif_image_get_height(Pointer image, int channel);

    Pointer heif_image_get_plane_readonly(Pointer image, int channel, IntByReference stride);

    void heif_image_release(Pointer image);
}
