// The platform tags PyPI accepts in a wheel's file name, as warehouse's upload endpoint checks them (forklift's
// _valid_platform_tag, warehouse/utils/wheel.py): anything else is refused with 400 "unsupported platform tag".
// Plain linux_* tags are the common case: a wheel built on one distribution that auditwheel never repaired.

const STATIC = new Set([
  "any",
  "win32",
  "win_arm64",
  "win_amd64",
  "win_ia64",
  "manylinux1_x86_64",
  "manylinux1_i686",
  "manylinux2010_x86_64",
  "manylinux2010_i686",
  "manylinux2014_x86_64",
  "manylinux2014_i686",
  "manylinux2014_aarch64",
  "manylinux2014_armv7l",
  "manylinux2014_ppc64",
  "manylinux2014_ppc64le",
  "manylinux2014_s390x",
  "linux_armv6l",
  "linux_armv7l",
]);
const MACOS = /^macosx_(\d+)_(\d+)_(.+)$/;
const MACOS_ARCHES = new Set(["ppc", "ppc64", "i386", "x86_64", "arm64", "intel", "fat", "fat3", "fat64", "universal", "universal2"]);
/** macOS 11 and later are tagged {major}_0; 10.x keeps its minor version. */
const MACOS_MAJORS = new Set(["11", "12", "13", "14", "15", "26"]);
const LINUX = /^(many|musl)linux_\d+_\d+_(.+)$/;
const MUSLLINUX_ARCHES = new Set(["x86_64", "i686", "aarch64", "armv7l", "ppc64le", "s390x", "riscv64"]);
const MANYLINUX_ARCHES = new Set([...MUSLLINUX_ARCHES, "ppc64"]);
const IOS = /^ios_\d+_\d+_(.+)_(iphoneos|iphonesimulator)$/;
const IOS_ARCHES = new Set(["arm64", "x86_64"]);
const ANDROID = /^android_\d+_(.+)$/;
const ANDROID_ARCHES = new Set(["armeabi_v7a", "arm64_v8a", "x86", "x86_64"]);
const PYEMSCRIPTEN = /^pyemscripten_\d+_\d+_wasm32$/;

function isPyPIPlatformTag(tag: string): boolean {
  if (STATIC.has(tag)) return true;
  const mac = MACOS.exec(tag);
  if (mac) return MACOS_ARCHES.has(mac[3]!) && (mac[1] === "10" || (MACOS_MAJORS.has(mac[1]!) && mac[2] === "0"));
  const linux = LINUX.exec(tag);
  if (linux) return (linux[1] === "musl" ? MUSLLINUX_ARCHES : MANYLINUX_ARCHES).has(linux[2]!);
  const ios = IOS.exec(tag);
  if (ios) return IOS_ARCHES.has(ios[1]!);
  const android = ANDROID.exec(tag);
  if (android) return ANDROID_ARCHES.has(android[1]!);
  return PYEMSCRIPTEN.test(tag);
}

/** The tags of a (possibly compressed, dot-separated) platform tag set that PyPI refuses. */
export function unsupportedPlatformTags(platform: string): string[] {
  return platform.split(".").filter((tag) => !isPyPIPlatformTag(tag));
}
