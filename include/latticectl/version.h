/* The program's version, shown by `latticectl version` and in User-Agent. */
#ifndef LATTICECTL_VERSION_H
#define LATTICECTL_VERSION_H

#define LATTICECTL_VERSION "0.1.0"

#endif
