FROM centos:7
RUN yum install httpd
RUN yum -y install git && yum clean all
RUN yum clean all && yum install -y vim
RUN yum install -y gcc && rm -rf /var/cache/yum
RUN yum -y update

FROM fedora:40
RUN dnf install -y --setopt=install_weak_deps=False make \
    && dnf clean all
RUN dnf --assumeyes install cmake
RUN microdnf install shadow-utils

FROM opensuse/leap:15.6
RUN zypper install curl
RUN zypper -n install wget && zypper clean
RUN zypper --non-interactive in tar && zypper cc -a
