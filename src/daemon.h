#ifndef DAEMON_H
#define DAEMON_H
#endif
