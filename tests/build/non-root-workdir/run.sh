#!/bin/sh
date >> /srv/data/started.log
echo ok > /srv/app/status
