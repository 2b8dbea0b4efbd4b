// Names the calling thread (at most 15 characters on Linux), so that top -H, perf and gdb tell
// the writer from the HTTP threads.
#pragma once

#include <pthread.h>

#include <string>

namespace certreg {

inline void name_this_thread(const std::string& name) {
  pthread_setname_np(pthread_self(), name.substr(0, 15).c_str());
}

}  // namespace certreg
