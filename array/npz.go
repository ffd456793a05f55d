package array

import (
	"archive/zip"
	"fmt"
	"os"
	"slices"
	"strings"
)

// LoadNPZ reads every array of the .npz archive at path (numpy's savez or
// savez_compressed) into a map keyed as numpy's NpzFile.files: the member
// names without ".npy" ("arr_0", … for unnamed arrays). Members are decoded
// as ReadNPY does; archive members that are not .npy files are errors
// wrapping ErrFormat. On any error no map is returned.
func LoadNPZ(path string) (map[string]*Array, error) {
	z, err := zip.OpenReader(path)
	if err != nil {
		return nil, fmt.Errorf("array.LoadNPZ: %s: %w: %w", path, ErrFormat, err)
	}
	defer z.Close()
	out := make(map[string]*Array, len(z.File))
	for _, f := range z.File {
		key, ok := strings.CutSuffix(f.Name, ".npy")
		if !ok {
			return nil, fmt.Errorf("array.LoadNPZ: %s: %w: member %q is not a .npy file", path, ErrFormat, f.Name)
		}
		if _, dup := out[key]; dup {
			return nil, fmt.Errorf("array.LoadNPZ: %s: %w: member %q twice", path, ErrFormat, f.Name)
		}
		a, err := loadMember(f)
		if err != nil {
			return nil, fmt.Errorf("array.LoadNPZ: %s: member %q: %w", path, f.Name, err)
		}
		out[key] = a
	}
	return out, nil
}

func loadMember(f *zip.File) (*Array, error) {
	r, err := f.Open()
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrFormat, err)
	}
	defer r.Close()
	avail := int64(-1)
	if f.UncompressedSize64 < 1<<62 {
		// The zip reader checks the size (and CRC) as it reads, so a
		// member cannot hold more than it says.
		avail = int64(f.UncompressedSize64)
	}
	return readNPY(r, avail)
}

// SaveNPZ writes arrays to an uncompressed .npz archive at path, as
// numpy.savez(path, **arrays) does: member "key.npy" for every key, in
// sorted order. Keys must be non-empty and must not contain '/'.
func SaveNPZ(path string, arrays map[string]*Array) error {
	keys := make([]string, 0, len(arrays))
	for k, a := range arrays {
		if k == "" || strings.ContainsRune(k, '/') {
			return fmt.Errorf("array.SaveNPZ: invalid key %q", k)
		}
		if a == nil {
			return fmt.Errorf("array.SaveNPZ: %w: key %q", ErrNil, k)
		}
		keys = append(keys, k)
	}
	slices.Sort(keys)
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("array.SaveNPZ: %w", err)
	}
	z := zip.NewWriter(f)
	for _, k := range keys {
		w, err := z.CreateHeader(&zip.FileHeader{Name: k + ".npy", Method: zip.Store})
		if err == nil {
			err = arrays[k].WriteNPY(w)
		}
		if err != nil {
			z.Close()
			f.Close()
			return fmt.Errorf("array.SaveNPZ: %s: %w", path, err)
		}
	}
	err = z.Close()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("array.SaveNPZ: %s: %w", path, err)
	}
	return nil
}
